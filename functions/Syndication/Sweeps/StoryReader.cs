using System.Globalization;
using System.Text;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Sweeps;

/// <summary>An outlet that carried a story, as <c>/story</c> shows it: when is unknown for an outlet only a channel's list names.</summary>
public sealed record ReportedOutlet(string Name, string? Link, DateTimeOffset? At);

/// <summary>What one channel got of a story: the article alerted there, whether as a growing story's alert, and its alert and edits.</summary>
public sealed record StoryChannel(string ChannelId, string Article, bool Growing, IReadOnlyList<AlertTrail> Trail);

/// <summary>A story as an editor asks about it: its headline, its outlets in the order they carried it, and what each channel got.</summary>
public sealed record StoryReport(string Title, IReadOnlyList<ReportedOutlet> Outlets, IReadOnlyList<StoryChannel> Channels);

/// <summary>The decisions about a story an editor asks about, as pure functions: which kept story it is, and how it reads.</summary>
public static class StoryReports
{
    /// <summary>
    /// What an editor may name a story by: the link of any outlet's report (compared as canonical addresses), or an
    /// article's id (<c>feedId/hash</c>, as <c>preview --json</c> and the logs give it). Null when it is neither.
    /// </summary>
    public static (string? Canonical, string? Article)? Key(string id)
    {
        id = id.Trim();
        if (id.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || id.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            return StoryFingerprint.CanonicalUrl(id) is { } canonical ? (canonical, null) : null;
        return id.Count(c => c == '/') == 1 && !id.Contains(' ') ? (null, id.EndsWith(".json", StringComparison.Ordinal) ? id : id + ".json") : null;
    }

    /// <summary>Whether a logged story is the one named: one of its outlets' reports, by link or article.</summary>
    public static bool Holds(LoggedStory story, string? canonical, string? article) =>
        story.Url is not null && story.Url == canonical
        || story.Outlets.Any(o => o.Article == article || canonical is not null && StoryFingerprint.CanonicalUrl(o.Link) == canonical);

    /// <summary>The story a channel's list holds that is the one named: its alerted article, or one of the outlets added to it.</summary>
    public static RecentStory? Find(IReadOnlyList<RecentStory> stories, string? canonical, IReadOnlySet<string> articles) =>
        stories.FirstOrDefault(s => articles.Contains(s.Article) || canonical is not null
            && (s.Url == canonical || (s.Also ?? []).Any(o => StoryFingerprint.CanonicalUrl(o.Link) == canonical)));

    /// <summary>The story in Telegram's HTML: outlets with their times and links, then each channel's alert and edits.</summary>
    public static string Render(StoryReport report)
    {
        var text = new StringBuilder($"<b>Story</b>: {HtmlText.Escape(report.Title)}\n");
        var times = report.Outlets.Select(o => o.At).OfType<DateTimeOffset>().ToList();
        text.Append(CultureInfo.InvariantCulture, $"\n<b>{report.Outlets.Count} outlet{(report.Outlets.Count == 1 ? "" : "s")}</b>");
        if (times.Count > 1) text.Append(CultureInfo.InvariantCulture, $" in {Math.Max(1, (int)Math.Round((times.Max() - times.Min()).TotalMinutes))} min");
        foreach (var (outlet, i) in report.Outlets.Select((o, i) => (o, i)))
        {
            var name = Links.SafeLink(outlet.Link) is { } link ? $"<a href=\"{Telegram.MessageFormatter.EscapeAttribute(link)}\">{HtmlText.Escape(outlet.Name)}</a>" : HtmlText.Escape(outlet.Name);
            text.Append(CultureInfo.InvariantCulture, $"\n• {When(outlet.At)} {name}{(i == 0 ? " (first report)" : "")}");
        }
        text.Append("\n\n<b>Channels</b>");
        if (report.Channels.Count == 0) text.Append("\nNo channel was alerted to it.");
        foreach (var channel in report.Channels)
        {
            var steps = channel.Trail.Select(t => $"{What(t.Version, channel.Growing)} {(t.Sent ? "sent" : "waiting since")} {When(t.At)}").ToList();
            text.Append(CultureInfo.InvariantCulture, $"\n• {HtmlText.Escape(channel.ChannelId)}: {(steps.Count == 0 ? "claimed, nothing kept of its alert" : HtmlText.Escape(string.Join("; ", steps)))}");
        }
        return text.ToString();
    }

    static string What(string? version, bool growing) => version switch
    {
        null => growing ? "growing alert" : "alert",
        _ when version.StartsWith("also-", StringComparison.Ordinal) && version["also-".Length..] is var n => $"edit (Also: {n} {(n == "1" ? "outlet" : "outlets")})",
        _ => "edit (the story changed at its source)",
    };

    static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("dd MMM HH:mm", CultureInfo.InvariantCulture) : "(when not kept)";
}

/// <summary>
/// Reads what <see cref="StoryReport"/> needs: the story log (one read), each editors' channel's list of recent stories
/// (one read each), and, where a channel had the story, its article and two listings of its alert and edits.
/// </summary>
public sealed class StoryReader(StoryLog log, RecentStories recent, Outbox outbox, ArticleStore articles)
{
    /// <summary>The story named by a report's canonical link or an article id (<see cref="StoryReports.Key"/>), or null when nothing kept names it.</summary>
    public async Task<StoryReport?> ReadAsync(SyndicationConfig config, string? canonical, string? article, CancellationToken cancellationToken) =>
        await ReportAsync(config, (await log.ReadAllAsync(cancellationToken)).FirstOrDefault(s => StoryReports.Holds(s, canonical, article)), canonical, article, cancellationToken);

    /// <summary>The report of a story already found in the log (<paramref name="logged"/>), or of the one named when the log has none.</summary>
    public async Task<StoryReport?> ReportAsync(SyndicationConfig config, LoggedStory? logged, string? canonical, string? article, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(logged?.Outlets.Select(o => o.Article) ?? [], StringComparer.Ordinal);
        if (article is not null) names.Add(article);

        var editors = config.Channels.Where(c => Watches.Subscriber.ChatOf(c.Id) is null).ToList();
        var found = new (RecentStory Story, Article? Original)?[editors.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, editors.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            if (StoryReports.Find(await recent.StoriesAsync(editors[i].Id, ct), canonical, names) is { } story)
                found[i] = (story, await articles.GetAsync(story.Article, ct));
        });
        var channels = new List<StoryChannel>();
        for (var i = 0; i < editors.Count; i++)
            if (found[i] is var (story, original))
                channels.Add(new StoryChannel(editors[i].Id, story.Article, original?.Story?.GrowingIn.Contains(editors[i].Id) == true,
                    await outbox.TrailAsync(editors[i].Id, story.Article, cancellationToken)));
        if (logged is null && channels.Count == 0) return null;

        var first = found.OfType<(RecentStory Story, Article? Original)>().FirstOrDefault();
        IReadOnlyList<ReportedOutlet> outlets = logged is not null
            ? [.. logged.Outlets.OrderBy(o => o.At).Select(o => new ReportedOutlet(o.Name, o.Link, o.At))]
            : [new ReportedOutlet(first.Original?.Source ?? first.Original?.FeedId ?? first.Story.Article, first.Original?.Link, first.Story.At),
               .. (first.Story.Also ?? []).Select(o => new ReportedOutlet(o.Name, o.Link, null))];
        var title = first.Original?.Title ?? (logged is null ? null : (await articles.GetAsync(logged.Outlets[0].Article, cancellationToken))?.Title);
        return new StoryReport(title ?? "(its article is no longer kept)", outlets, channels);
    }
}
