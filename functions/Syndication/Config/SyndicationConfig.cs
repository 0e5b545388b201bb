
namespace Syndication.Config;

/// <summary>The editors' configuration: which feeds to watch, where alerts go, and the rules between them.</summary>
public sealed record SyndicationConfig(
    IReadOnlyList<FeedDefinition> Feeds,
    IReadOnlyList<ChannelDefinition> Channels,
    IReadOnlyList<RuleDefinition> Rules)
{
    public const string TagPrefix = "tag:";

    /// <summary>Channel ids that begin so are subscribers' private chats (<c>person-{chatId}</c>), never a configured channel.</summary>
    public const string PersonChannelPrefix = "person-";

    /// <summary>The editors' own chat, told once when a channel starts failing and once when it recovers; null for none.</summary>
    public string? AlertsChat { get; init; }

    /// <summary>Whether people may follow their own keyword watches in a private chat with the bot.</summary>
    public SubscriptionMode Subscriptions { get; init; }

    /// <summary>Who may run the bot from Telegram, and with what role.</summary>
    public IReadOnlyList<EditorDefinition> Editors { get; init; } = [];

    public EditorDefinition? FindEditor(long user) => Editors.FirstOrDefault(e => e.User == user);

    /// <summary>
    /// The configuration a sweep at <paramref name="now"/> works with: paused feeds left out, and rules paused until a later
    /// time disabled. The same instance when nothing is paused.
    /// </summary>
    public SyndicationConfig ActiveAt(DateTimeOffset now) =>
        Feeds.All(f => f.Enabled) && Rules.All(r => r.PausedUntil is null || r.PausedUntil <= now) ? this
            : this with
            {
                Feeds = [.. Feeds.Where(f => f.Enabled)],
                Rules = [.. Rules.Select(r => r.PausedUntil > now ? r with { Enabled = false } : r)],
            };

    /// <summary>Whether the channel's new alerts are held at <paramref name="now"/> for its quiet hours.</summary>
    public bool IsHeld(string channelId, DateTimeOffset now) =>
        FindChannel(channelId) is { QuietHours: { Hold: true } quiet } channel && quiet.Contains(now, channel.TimeZone);

    /// <summary>
    /// Whether an alert queued at <paramref name="queued"/> waits by the channel's choice at <paramref name="now"/>: its quiet
    /// hours hold it, or it is a line of the channel's digest (<paramref name="forDigest"/>) whose time has not come. Such
    /// alerts wake no drain and page no operator.
    /// </summary>
    public bool WaitsByChoice(string channelId, DateTimeOffset queued, bool forDigest, DateTimeOffset now) =>
        IsHeld(channelId, now) || forDigest && FindChannel(channelId) is { Digest: { } digest } channel && digest.NextAfter(queued, channel.TimeZone) > now;

    public ChannelDefinition? FindChannel(string id) => Channels.FirstOrDefault(c => c.Id == id);

    public RuleDefinition? FindRule(string id) => Rules.FirstOrDefault(r => r.Id == id);

    /// <summary>Whether the rule looks at this feed: it names no feeds, names this one, or names one of its tags.</summary>
    public bool Covers(RuleDefinition rule, string feedId) =>
        rule.Feeds is null || rule.Feeds.Any(f => f == feedId
            || f.StartsWith(TagPrefix, StringComparison.Ordinal) && Feeds.Any(feed => feed.Id == feedId && feed.Tags?.Contains(f[TagPrefix.Length..]) == true));
}

/// <summary>Who may subscribe to their own watches: nobody (the default), anyone, or whoever has an editor's invitation.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SubscriptionMode>))]
public enum SubscriptionMode
{
    Off,
    Open,
    Invite,
}

/// <param name="Backfill">How many of the newest matching items to alert the first time the feed is seen.</param>
/// <param name="Tags">Labels rules can select the feed by, written <c>tag:name</c> in a rule's <c>feeds</c>.</param>
public sealed record FeedDefinition(string Id, Uri Url, int Backfill, string? Name, IReadOnlyList<string>? Tags = null)
{
    /// <summary>Fetch no more often than this, whatever the timer's schedule; 0 fetches on every sweep.</summary>
    public int MinIntervalMinutes { get; init; }

    /// <summary>Whether to fetch the article page for its full text: for teasers only (auto), always, or never.</summary>
    public FullTextMode FullText { get; init; } = FullTextMode.Auto;

    /// <summary>False keeps the feed in the configuration but stops fetching it.</summary>
    public bool Enabled { get; init; } = true;

    public string DisplayName => Name ?? Id;
}

/// <param name="Chat">Either <c>@channelname</c> or a numeric chat id written as a string.</param>
/// <param name="NoneOf">Terms that keep an article out of this channel, whichever rule routes it here.</param>
public sealed record ChannelDefinition(string Id, string Chat, IReadOnlyList<string>? NoneOf = null)
{
    /// <summary>How many sentences the summary has (1 to 5).</summary>
    public int SummarySentences { get; init; } = 3;

    /// <summary>The IANA time zone dates are shown in; UTC when null.</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>How Telegram previews the article link; Telegram's own default when null.</summary>
    public LinkPreview? LinkPreview { get; init; }

    /// <summary>The forum topic to post into (<c>message_thread_id</c>).</summary>
    public int? ThreadId { get; init; }

    /// <summary>Send without a notification sound (<c>disable_notification</c>).</summary>
    public bool Silent { get; init; }

    /// <summary>A Liquid template for the message; the built-in layout when null.</summary>
    public string? Template { get; init; }

    /// <summary>What happens to a message already sent when its story is edited at the source.</summary>
    public OnUpdate OnUpdate { get; init; }

    /// <summary>Show the story's author next to its source when the feed names one.</summary>
    public bool ShowAuthor { get; init; } = true;

    /// <summary>When alerts go out silently or wait, in the channel's <see cref="TimeZone"/>; none when null.</summary>
    public QuietHours? QuietHours { get; init; }

    /// <summary>How the article's picture is shown: a large link preview above the text, a photo with the message as caption, or not.</summary>
    public Images Images { get; init; } = Images.Preview;

    /// <summary>Each single alert carries a "Not relevant" button; editors' presses count against the rules that sent it.</summary>
    public bool NotRelevantButton { get; init; } = true;

    /// <summary>The language of the words an alert adds of its own ("Read more", "Also:", a digest's heading): <c>en</c> or <c>ur</c>.</summary>
    public string Language { get; init; } = "en";

    /// <summary>When other outlets carry a story after its alert, the alert is edited to name them ("Also: Dawn · Geo").</summary>
    public bool AlsoReported { get; init; } = true;

    /// <summary>One alert, marked as growing, when a story is carried by this many sites within the window; none when null.</summary>
    public GrowingStories? Growing { get; init; }

    /// <summary>Collect this channel's alerts into digests on this schedule (urgent rules still alert at once); none when null.</summary>
    public DigestSchedule? Digest { get; init; }
}

/// <summary>An edited story either leaves the sent message alone, or edits it to the new version (<c>editMessageText</c>).</summary>
public enum OnUpdate { Ignore, Edit }

/// <summary>An article's picture: as a large link preview above the text, as a photo captioned with the message, or not at all.</summary>
public enum Images { Preview, Photo, Off }

/// <summary>The link preview under a message: none, a small or large image, or the preview above the text.</summary>
public enum LinkPreview { Off, Small, Large, Above }

/// <param name="Feeds">Feed ids, or <c>tag:name</c>, the rule is limited to; <c>null</c> means every feed.</param>
/// <param name="CaseSensitive">Match word and phrase terms in exact case (accents are still ignored).</param>
/// <param name="Fields">The parts of the article the rule looks at.</param>
/// <param name="Enabled">False keeps the rule in the file but out of every sweep.</param>
public sealed record RuleDefinition(
    string Id,
    IReadOnlyList<string> Channels,
    IReadOnlyList<string>? Feeds,
    IReadOnlyList<string> AnyOf,
    IReadOnlyList<string> AllOf,
    IReadOnlyList<string> NoneOf,
    bool CaseSensitive = false,
    ArticleField Fields = ArticleField.Default,
    bool Enabled = true)
{
    /// <summary>Edit the messages this rule sent when their story is edited; a channel's own <c>onUpdate</c> can ask for it too.</summary>
    public OnUpdate OnUpdate { get; init; }

    /// <summary>Alert at once even in a channel that collects digests.</summary>
    public bool Urgent { get; init; }

    /// <summary>The rule is out of every sweep until this time; null when it is not paused for a while.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>
    /// The rule matches an article only once its story is carried by this many sites (within
    /// <see cref="GrowingStories.CountWindow"/>); 1, the default, matches every article.
    /// </summary>
    public int MinOutlets { get; init; } = 1;
}

/// <summary>A channel's <c>growing</c>: how many distinct sites must carry one story, and how close together their reports must be.</summary>
public sealed record GrowingStories(int Outlets, TimeSpan Within)
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromMinutes(60);
    public static readonly TimeSpan ShortestWithin = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan LongestWithin = TimeSpan.FromHours(12);

    /// <summary>How far back a rule's <c>minOutlets</c> counts a story's outlets: as long as headlines alone may make two reports one story.</summary>
    public static readonly TimeSpan CountWindow = TimeSpan.FromHours(12);
}

/// <summary>Someone who may run the bot from Telegram: their user id, the name the history shows, and their role.</summary>
public sealed record EditorDefinition(long User, string Name, EditorRole Role);

/// <summary>An editor changes rules, channels' filters and pauses; an admin also feeds, channels and editors.</summary>
public enum EditorRole { Editor, Admin }
