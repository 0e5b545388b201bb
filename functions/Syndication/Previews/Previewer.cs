using Syndication.Articles;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Telegram;

namespace Syndication.Previews;

/// <summary>Where a preview reads items from: the configured feeds (all, or one), any URL, or a local feed file.</summary>
public abstract record PreviewSource
{
    public sealed record AllFeeds : PreviewSource;
    public sealed record Feed(string FeedId) : PreviewSource;
    public sealed record Url(Uri Address) : PreviewSource;
    public sealed record File(string Path) : PreviewSource;
}

public sealed record PreviewMessage(string ChannelId, string Chat, string Html)
{
    /// <summary>How the channel delivers it, when not plainly as text at once: its picture, "silent", "quiet hours 23:00–07:00 (Asia/Karachi): held until they end".</summary>
    public string? Delivery { get; init; }
}

public sealed record PreviewItem(string Title, string? Link, DateTimeOffset? Published, IReadOnlyList<RuleVerdict> Rules, IReadOnlyList<PreviewMessage> Messages)
{
    /// <summary>Exactly what the parser read, for editors to see what the rules see.</summary>
    public string Key { get; init; } = "";
    public string? Author { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public string? Image { get; init; }
    public DateTimeOffset? ClaimedPublished { get; init; }
    public string Summary { get; init; } = "";
    public string Text { get; init; } = "";
}

/// <param name="FeedId">Null for an ad-hoc URL or file, which every rule is tried against regardless of its <c>feeds</c>.</param>
public sealed record PreviewFeed(string? FeedId, string Location, string? Error, IReadOnlyList<PreviewItem> Items)
{
    /// <summary>The feed's own title, and what had to be mended in its XML for it to be read.</summary>
    public string? Title { get; init; }
    public IReadOnlyList<string> Repairs { get; init; } = [];
}

/// <summary>
/// Shows what the rules would do with real items, and why, without storing or sending anything: for every item, every
/// rule's verdict with the terms, fields and snippets behind it, and the exact message each channel would receive.
/// </summary>
public sealed class Previewer(FeedFetcher fetcher, FullTextExtractor fullText, TimeProvider time)
{
    /// <param name="offline">Fetch no article pages: show each item as its feed gives it.</param>
    public async Task<IReadOnlyList<PreviewFeed>> PreviewAsync(SyndicationConfig config, PreviewSource source, string? ruleId, CancellationToken cancellationToken, bool offline = false)
    {
        var matcher = RuleMatcher.For(config);
        List<(string? FeedId, object Location, string Name)> targets = source switch
        {
            PreviewSource.Feed f => config.Feeds.Where(feed => feed.Id == f.FeedId).Select(feed => ((string?)feed.Id, (object)feed.Url, feed.DisplayName)).ToList(),
            PreviewSource.Url u => [(null, u.Address, u.Address.Host)],
            PreviewSource.File f => [(null, f.Path, System.IO.Path.GetFileName(f.Path))],
            _ => config.Feeds.Select(feed => ((string?)feed.Id, (object)feed.Url, feed.DisplayName)).ToList(),
        };

        var feeds = new List<PreviewFeed>();
        foreach (var (feedId, location, name) in targets)
        {
            ParsedFeed parsed;
            try
            {
                parsed = FeedParser.Parse(location is Uri url
                    ? await fetcher.FetchAsync(url, cancellationToken)
                    : new FetchedFeed(new Uri(System.IO.Path.GetFullPath((string)location)), await System.IO.File.ReadAllBytesAsync((string)location, cancellationToken), null, null));
            }
            catch (Exception ex) when (ex is FeedFetchException or IOException)
            {
                feeds.Add(new PreviewFeed(feedId, location.ToString()!, ex.Message, []));
                continue;
            }

            var definition = feedId is null ? null : config.Feeds.First(f => f.Id == feedId);
            var sourceName = definition?.Name ?? parsed.Title ?? name;
            var items = new List<PreviewItem>();
            var now = time.GetUtcNow();
            foreach (var feedEntry in parsed.Entries.Select(e => e.WithTrustedDate(now)))
            {
                var entry = offline ? feedEntry : await fullText.CompleteAsync(feedEntry, definition?.FullText ?? FullTextMode.Auto, feedId ?? "preview", cancellationToken);
                var matches = matcher.Match(feedId, entry).Where(m => ruleId is null || m.RuleId == ruleId).ToList();
                var article = Article.From(feedId ?? "preview", entry, time.GetUtcNow(), matches);
                var messages = MessageFormatter.PerChannel(article, sourceName, config).Select(m => new PreviewMessage(m.Channel.Id, m.Channel.Chat, m.Caption ?? m.Html) { Delivery = DeliveryOf(m) }).ToList();
                items.Add(new PreviewItem(entry.Title, entry.Link, entry.Published, matcher.Explain(feedId, entry, ruleId), messages)
                {
                    Key = entry.Key, Author = entry.Author, Categories = entry.Categories, Image = entry.Image,
                    ClaimedPublished = entry.ClaimedPublished, Summary = entry.Summary, Text = entry.Text,
                });
            }
            feeds.Add(new PreviewFeed(feedId, location.ToString()!, null, items) { Title = parsed.Title, Repairs = parsed.Repairs });
        }
        return feeds;
    }

    /// <summary>What a subscriber notices about how the channel delivers, for the preview: silence and quiet hours.</summary>
    static string? DeliveryOf(ChannelMessage message)
    {
        var channel = message.Channel;
        var notes = new List<string>();
        if (message.Picture is { } picture) notes.Add(channel.Images == Images.Photo ? $"as a photo of {picture}, this message its caption" : $"with a large preview of {picture}");
        if (channel.Silent) notes.Add("silent");
        if (channel.QuietHours is { } quiet)
            notes.Add($"quiet hours {quiet.From:HH\\:mm}–{quiet.To:HH\\:mm} ({channel.TimeZone?.Id ?? "UTC"}): {(quiet.Hold ? "held until they end" : "sent silently")}");
        return notes.Count == 0 ? null : string.Join("; ", notes);
    }
}
