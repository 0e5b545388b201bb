using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Telegram;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Sweeps;

/// <summary>A new or edited item of a feed read, to be worked: completed, matched, stored, perhaps alerted.</summary>
public sealed record ChangedItem(FeedEntry Entry, string Id, ItemChange Change, SeenItem? Known)
{
    /// <summary>What the feed's seen items record of it once it is worked: first seen now, or this version.</summary>
    public SeenItem Seen(DateTimeOffset now) => Known is null
        ? new SeenItem(Entry.ContentHash, now) { Raw = Entry.RawHash }
        : Known with { Content = Entry.ContentHash, LeftAt = null, Raw = Entry.RawHash };
}

/// <summary>
/// A feed's items against what was seen of them: the known ones, whose records are refreshed; the new or edited ones to
/// work, newest first, up to the limit; and how many went over it.
/// </summary>
public sealed record ItemScan(IReadOnlyList<ChangedItem> Changed, IReadOnlyDictionary<string, SeenItem> Known, int Returned, int OverLimit);

/// <summary>An article a read brought, whether it alerts (backfill may hold it back), and the message each channel would get.</summary>
public sealed record FreshArticle(Article Article, bool Alerts, IReadOnlyList<ChannelMessage> Messages);

/// <summary>
/// Everything a changed feed read comes to, before any write: the seen items as read, the items worked and held back, the
/// new articles with their messages, which of them alert, and what each edited story does.
/// </summary>
public sealed record FeedWork(
    SeenItems Seen, ItemScan Scan, IReadOnlyList<ChangedItem> Worked, IReadOnlyList<FreshArticle> Fresh,
    IReadOnlyList<(Article Article, IReadOnlyList<EditStep> Steps)> Edits, int HeldBack, string? HeldBackReason, DateTimeOffset Now)
{
    /// <summary>The feed's first read: its articles count as outlets of their stories but start no growing alert.</summary>
    public bool FirstRead { get; init; }

    public FeedOutcome Outcome(FeedDefinition feed, int items, int enqueued) => new(feed.Id, feed.Url.ToString(), items, Fresh.Count, enqueued, null)
    {
        Updated = Edits.Count,
        HeldBack = HeldBack,
        HeldBackReason = HeldBackReason,
        HeldByBackfill = Fresh.Count(f => f.Article.Matches.Count > 0 && !f.Alerts),
        Stored = [.. Fresh.Select(f => f.Article)],
    };
}

/// <summary>What an edited story does in one channel, decided by <see cref="FeedPlanner.Edit"/>.</summary>
public abstract record EditStep
{
    /// <summary>The sent message is edited to the new version.</summary>
    public sealed record SendEdit(OutboxEntry Edit) : EditStep;

    /// <summary>The alert still waits in the outbox: it goes out as the new version.</summary>
    public sealed record Rewrite(OutboxEntry Pending, Azure.ETag Version) : EditStep;

    /// <summary>Nothing: never sent, or sent in a digest that holds other stories too.</summary>
    public sealed record None : EditStep;
}

/// <summary>
/// The decisions about what a feed read comes to, as pure functions over what was read: which items to work, which new
/// articles alert (backfill), which alerts the channels already had from another feed (same story), what each channel's
/// alert is, and what an edited story does where it was sent (<c>onUpdate</c>). <see cref="FeedProcessor"/> reads, asks
/// these, and writes.
/// </summary>
public static class FeedPlanner
{
    /// <summary>
    /// Newest first, so that when a feed has more new items than one sweep takes, the news goes out now and the backlog
    /// follows. Two keys that normalize to one story count once. Known items, unchanged or back after leaving the feed (a
    /// tombstone: never alerted again), only have their records refreshed.
    /// </summary>
    public static ItemScan Scan(IEnumerable<FeedEntry> entries, IReadOnlyDictionary<string, SeenItem> seen, int limit)
    {
        var changed = new List<ChangedItem>();
        var known = new Dictionary<string, SeenItem>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var (returned, over) = (0, 0);
        foreach (var entry in entries.OrderByDescending(e => e.Published ?? DateTimeOffset.MinValue))
        {
            var id = Article.IdFor(entry.Key);
            if (!ids.Add(id)) continue;
            var before = seen.GetValueOrDefault(id);
            switch (ItemChanges.Of(entry, before))
            {
                case ItemChange.Unchanged or ItemChange.Returned when before is not null:
                    if (before.LeftAt is not null) returned++;
                    known[id] = before with { LeftAt = null, Raw = entry.RawHash };
                    break;
                case var change when changed.Count < limit:
                    changed.Add(new ChangedItem(entry, id, change, before));
                    break;
                default:
                    over++;
                    break;
            }
        }
        return new ItemScan(changed, known, returned, over);
    }

    /// <summary>
    /// What the feed's seen items say after a read: the known items refreshed, the worked ones recorded as this version, and
    /// the items no longer in the feed marked as left, keeping at most <paramref name="bound"/> (tombstones go oldest first).
    /// An item held back is not recorded, so it is new or edited next time.
    /// </summary>
    public static SeenItems Remember(SeenItems seen, ItemScan scan, IEnumerable<ChangedItem> worked, DateTimeOffset now, int bound)
    {
        var current = new HashSet<string>(scan.Known.Keys, StringComparer.Ordinal);
        foreach (var (id, known) in scan.Known) seen.Items[id] = known;
        foreach (var item in worked)
        {
            seen.Items[item.Id] = item.Seen(now);
            current.Add(item.Id);
        }
        seen.Settle(current, now, bound);
        return seen;
    }

    /// <summary>
    /// The matching new articles that alert, newest first: all of them, except on a feed's first read, which alerts only its
    /// <c>backfill</c> newest less those already queued or sent for it (<see cref="ItemChanges.MayAlert"/>).
    /// </summary>
    public static IReadOnlyList<Article> Alerting(IEnumerable<Article> fresh, bool firstRead, int backfill, int alreadyAlerted)
    {
        var matching = Matching(fresh);
        return [.. matching.Take(ItemChanges.MayAlert(matching.Count, firstRead, backfill, alreadyAlerted))];
    }

    /// <summary>
    /// The channels whose alerts tell how much of a feed's backfill was used: the editors' channels that a rule over the feed
    /// reaches, or, when none does, the people's. Each costs two listings on a first read, so thousands of people watching
    /// every feed never make a new feed's first read cost thousands.
    /// </summary>
    public static IReadOnlyList<string> BackfillChannels(SyndicationConfig config, string feedId)
    {
        var reached = config.Rules.Where(r => config.Covers(r, feedId)).SelectMany(r => r.Channels).Distinct(StringComparer.Ordinal).ToList();
        var channels = reached.Where(c => Watches.Subscriber.ChatOf(c) is null).ToList();
        return channels.Count > 0 ? channels : reached;
    }

    /// <summary>
    /// What the stories' outlets change in a feed read's new articles (<paramref name="places"/>, from the story log):
    /// a rule with <c>minOutlets</c> keeps its match only when the story had that many outlets with the article; a channel
    /// with <c>growing</c> gets the article as a growing story's alert when the article is the one that made its story
    /// reach the channel's threshold (never on a feed's first read, which backfill governs). An article so changed carries
    /// its story's outlets for its message, and alerts when a match or a growing channel is left. Returns each article,
    /// and whether its messages must be made again.
    /// </summary>
    public static IReadOnlyList<(FreshArticle Fresh, bool Changed)> WithStories(IReadOnlyList<FreshArticle> fresh, IReadOnlyDictionary<string, StoryPlace> places,
        SyndicationConfig config, bool firstRead)
    {
        var result = new List<(FreshArticle, bool)>();
        foreach (var item in fresh)
        {
            var article = item.Article;
            var place = places.GetValueOrDefault(article.BlobName);
            var waiting = WaitingForOutlets(article, place, config);
            var matches = article.Matches.Where(m => !waiting.Any(r => r.Id == m.RuleId)).ToList();
            var counted = matches.Any(m => config.FindRule(m.RuleId)?.MinOutlets > 1);
            IReadOnlyList<string> growing = place is null || firstRead ? []
                : [.. config.Channels.Where(c => c.Growing is { } g && StoryOutlets.Grew(place, g.Outlets, g.Within)).Select(c => c.Id)];
            IReadOnlyList<string> grown = place is not { IsOutlet: true } ? []
                : [.. config.Channels.Where(c => c.Growing is { } g && StoryOutlets.GrewBefore(place, g.Outlets, g.Within)).Select(c => c.Id)];
            if (matches.Count == article.Matches.Count && !counted && growing.Count == 0 && grown.Count == 0)
            {
                result.Add((item, false));
                continue;
            }
            var story = place?.ToStory() is { } so ? so with { GrowingIn = growing, GrownIn = grown } : null;
            var changed = article with { Matches = matches, Story = story };
            result.Add((new FreshArticle(changed, item.Alerts && matches.Count > 0 || growing.Count > 0, []), true));
        }
        return result;
    }

    /// <summary>The rules that matched the article but wait for more outlets (<c>minOutlets</c>) than its story had with it (one without a place in the log, one).</summary>
    public static IReadOnlyList<RuleDefinition> WaitingForOutlets(Article article, StoryPlace? place, SyndicationConfig config) =>
        [.. article.Matches.Select(m => config.FindRule(m.RuleId)).OfType<RuleDefinition>().Where(r => r.MinOutlets > (place?.Count ?? 1)).DistinctBy(r => r.Id)];

    /// <summary>The new articles a rule matched, newest first.</summary>
    public static IReadOnlyList<Article> Matching(IEnumerable<Article> fresh) =>
        [.. fresh.Where(a => a.Matches.Count > 0).OrderByDescending(a => a.Published ?? DateTimeOffset.MinValue)];

    /// <summary>
    /// The stories to claim in each channel before their alerts are queued, in the order the feed gave them: one alert per
    /// story per channel across feeds. A channel no longer configured claims nothing.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Article>> Claims(IReadOnlyList<FreshArticle> fresh, SyndicationConfig config)
    {
        var claims = new Dictionary<string, IReadOnlyList<Article>>(StringComparer.Ordinal);
        foreach (var item in fresh)
            foreach (var channel in ClaimedIn(item).Distinct().Where(c => config.FindChannel(c) is not null))
                claims[channel] = [.. claims.GetValueOrDefault(channel) ?? [], item.Article];
        return claims;
    }

    /// <summary>
    /// The channels an article's story is claimed in: where it alerts (a rule's, or a growing story's), and where its story
    /// grew before it came, so that its outlet is added to the growing story's alert there, never sent as one of its own.
    /// </summary>
    static IEnumerable<string> ClaimedIn(FreshArticle item) =>
        (item.Alerts ? item.Article.Matches.SelectMany(m => m.Channels).Concat(item.Article.Story?.GrowingIn ?? []) : [])
            .Concat(item.Article.Story?.GrownIn ?? []);

    /// <summary>
    /// The alerts an article queues: one per channel, however many rules route it there, except in channels that already
    /// had the story from another feed (<paramref name="repeats"/>: channel → the article it repeats).
    /// </summary>
    public static IReadOnlyList<OutboxEntry> Alerts(FreshArticle fresh, IReadOnlyDictionary<string, string> repeats, DateTimeOffset now) =>
        [.. fresh.Messages.Where(m => !repeats.ContainsKey(m.Channel.Id)).Select(m => Alert(fresh.Article, m, now))];

    /// <summary>A channel's alert for an article, as its message says.</summary>
    public static OutboxEntry Alert(Article article, ChannelMessage message, DateTimeOffset now) =>
        new(message.Channel.Id, message.Channel.Chat, article.BlobName, article.Published, now, [.. message.Matches.Select(m => m.RuleId)], message.Html)
        {
            Picture = message.Picture,
            Caption = message.Caption,
            DigestLine = message.DigestLine,
            FallbackHtml = message.FallbackHtml,
        };

    /// <summary>Whether an edited story changes what the channel got: the channel or a matching rule says <c>onUpdate: edit</c>.</summary>
    public static bool WantsEdit(ChannelMessage message, SyndicationConfig config) =>
        message.Channel.OnUpdate == OnUpdate.Edit || message.Matches.Any(m => config.FindRule(m.RuleId)?.OnUpdate == OnUpdate.Edit);

    /// <summary>
    /// The "also reported by" step for a story other outlets now carry: an edit of the sent alert (its message, or its
    /// photo's caption, with the outlets' line added), not before <see cref="AlsoReported.GoAt"/>; or, while the alert
    /// still waits, the waiting alert rewritten with the line (and its digest line with it). Nothing for a channel that
    /// turned it off, a story sent in a digest, or a message the line would take past Telegram's limit.
    /// </summary>
    /// <param name="message">The alert as its channel got it, rendered again from the stored article; needed only for one already sent.</param>
    public static EditStep AlsoEdit(ChannelDefinition channel, Article? original, string source, ChannelMessage? message, DeliveryRecord? sent, (OutboxEntry Value, Azure.ETag ETag)? pending,
        AlsoReported also, DateTimeOffset now)
    {
        if (!WantsAlso(channel) || sent is { InDigest: true }) return new EditStep.None();
        var line = MessageFormatter.AlsoLine(also.Outlets, channel.Language);
        var label = MessageLabels.For(channel.Language).Also;
        if (pending is var (waiting, etag) && waiting.EditMessageId is null)
        {
            // The line it may carry from an earlier outlet is replaced by the line with every outlet.
            var rewritten = WithoutLast(waiting.Html, $"\n{label} ") + "\n" + line;
            if (HtmlText.PlainLength(rewritten) > MessageFormatter.MaxLength) return new EditStep.None();
            return new EditStep.Rewrite(waiting with { Html = rewritten, DigestLine = waiting.DigestLine is null ? null : $"{WithoutLast(waiting.DigestLine, $" {label} ")} {line}" }, etag);
        }
        if (sent is null || original is null || message is null) return new EditStep.None();
        // An alert that named its story's outlets when it went (a growing story's) has its line replaced, not repeated.
        var html = WithoutLast(message.Html, $"\n{label} ") + "\n" + line;
        if (HtmlText.PlainLength(html) > MessageFormatter.MaxLength) return new EditStep.None();
        string? caption = null;
        if (sent.AsPhoto)
        {
            caption = WithoutLast(message.Caption ?? MessageFormatter.FormatChecked(original, source, message.Matches, message.Channel, MessageFormatter.MaxCaptionLength).Html, $"\n{label} ") + "\n" + line;
            if (HtmlText.PlainLength(caption) > MessageFormatter.MaxCaptionLength) return new EditStep.None();
        }
        return new EditStep.SendEdit(new OutboxEntry(message.Channel.Id, sent.Chat, original.BlobName, original.Published, now, [.. message.Matches.Select(m => m.RuleId)], html)
        {
            EditMessageId = sent.MessageId,
            Version = AlsoVersion(also.Outlets.Count),
            EditsCaption = sent.AsPhoto,
            Caption = caption,
            After = also.GoAt > now ? also.GoAt : null,
        });
    }

    /// <summary>
    /// Whether a channel's alerts get "also reported by" edits: an editors' channel that did not turn them off. People's own
    /// alerts are not edited: one more outlet for a story would otherwise be thousands of edits.
    /// </summary>
    public static bool WantsAlso(ChannelDefinition channel) => channel.AlsoReported && Watches.Subscriber.ChatOf(channel.Id) is null;

    /// <summary>The text without its last line that begins with <paramref name="marker"/>.</summary>
    static string WithoutLast(string text, string marker)
    {
        var at = text.LastIndexOf(marker, StringComparison.Ordinal);
        return at >= 0 && text.IndexOf('\n', at + 1) < 0 ? text[..at] : text;
    }

    /// <summary>The version an "also reported by" edit carries, by how many outlets it names: each is its own outbox entry and delivery record.</summary>
    public static string AlsoVersion(int outlets) => $"also-{outlets}";

    /// <summary>
    /// An edited story in a channel that wants edits: a message already sent is queued for editing (a photo's caption,
    /// within the caption's limit); an alert still waiting is rewritten to the new version. Nothing is sent anew, and a
    /// digest's message, which holds other stories too, is not edited for one.
    /// </summary>
    /// <param name="version">The new version's content hash: an edit is queued once per version.</param>
    public static EditStep Edit(Article article, string source, ChannelMessage message, string version, DeliveryRecord? sent, (OutboxEntry Value, Azure.ETag ETag)? pending, DateTimeOffset now)
    {
        if (sent is { InDigest: true }) return new EditStep.None();
        if (sent is not null)
            return new EditStep.SendEdit(new OutboxEntry(message.Channel.Id, sent.Chat, article.BlobName, article.Published, now, [.. message.Matches.Select(m => m.RuleId)], message.Html)
            {
                EditMessageId = sent.MessageId,
                Version = version,
                EditsCaption = sent.AsPhoto,
                Caption = sent.AsPhoto ? message.Caption ?? MessageFormatter.FormatChecked(article, source, message.Matches, message.Channel, MessageFormatter.MaxCaptionLength).Html : null,
            });
        if (pending is var (waiting, etag))
            return new EditStep.Rewrite(waiting with
            {
                Html = message.Html,
                Picture = message.Picture,
                Caption = message.Caption,
                DigestLine = waiting.DigestLine is null ? null : message.DigestLine,
            }, etag);
        return new EditStep.None();
    }
}
