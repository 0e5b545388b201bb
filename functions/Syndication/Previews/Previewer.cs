using Azure;
using Microsoft.Extensions.Logging;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Storage;
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

    /// <summary>
    /// The article this one repeats for the channel (a story it was alerted to in the last 48 hours, or an earlier item of
    /// this preview), so it would not be sent there; null when it would.
    /// </summary>
    public string? Repeats { get; init; }
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

    /// <summary>Its story's outlets so far, where the configuration counts them (<c>growing</c>, <c>minOutlets</c>); null otherwise.</summary>
    public PreviewStory? Story { get; init; }
}

/// <summary>
/// An item's story as the story log has it: the outlets that carried it with when (this item's among them, the first
/// report first), the channels it would be a growing story's alert in, and the rules that wait for more outlets.
/// </summary>
public sealed record PreviewStory(IReadOnlyList<Sweeps.ReportedOutlet> Outlets, IReadOnlyList<string> GrowingIn, IReadOnlyList<string> Waiting)
{
    /// <summary>For a story other outlets carried before this item, what each editors' channel got of it: its alert and edits.</summary>
    public IReadOnlyList<Sweeps.StoryChannel> Channels { get; init; } = [];
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
public sealed class Previewer(FeedFetcher fetcher, FullTextExtractor fullText, RecentStories recent, StoryLog stories, Sweeps.StoryReader reports, TimeProvider time,
    ILogger<Previewer> logger)
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
        var articles = new Dictionary<PreviewItem, Article>(ReferenceEqualityComparer.Instance);
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
                var (planned, verdicts, channelMessages) = ArticleMessages.Plan(feedId, entry, time.GetUtcNow(), matcher, config, sourceName, ruleId);
                var article = planned with { Source = sourceName };
                var messages = channelMessages.Select(m => new PreviewMessage(m.Channel.Id, m.Channel.Chat, m.Caption ?? m.Html) { Delivery = DeliveryOf(m) }).ToList();
                var item = new PreviewItem(entry.Title, entry.Link, entry.Published, verdicts, messages)
                {
                    Key = entry.Key, Author = entry.Author, Categories = entry.Categories, Image = entry.Image,
                    ClaimedPublished = entry.ClaimedPublished, Summary = entry.Summary, Text = entry.Text,
                };
                items.Add(item);
                articles[item] = article;
            }
            feeds.Add(new PreviewFeed(feedId, location.ToString()!, null, items) { Title = parsed.Title, Repairs = parsed.Repairs });
        }
        feeds = await MarkStoriesAsync(config, feeds, articles, cancellationToken);
        await MarkRepeatsAsync(feeds, articles, cancellationToken);
        return feeds;
    }

    /// <summary>
    /// Where the configuration counts outlets, each item's story as a sweep would find it in the story log (without adding
    /// to it): its outlets, the growing story's alert it would be, and the rules still waiting for outlets, whose messages
    /// are left out (<see cref="Sweeps.FeedPlanner.WithStories"/>). Storage out of reach only loses the marks, with a warning.
    /// </summary>
    async Task<List<PreviewFeed>> MarkStoriesAsync(SyndicationConfig config, List<PreviewFeed> feeds, Dictionary<PreviewItem, Article> articles, CancellationToken cancellationToken)
    {
        if (Articles.StoryOutlets.Window(config) is not { } window || articles.Count == 0) return feeds;
        IReadOnlyDictionary<string, StoryPlace> places;
        try
        {
            places = await stories.FindAsync([.. feeds.SelectMany(f => f.Items).Select(i => articles[i])], window, cancellationToken);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or RequestFailedException or AggregateException)
        {
            logger.LogWarning("Could not read the story log ({Error}); the preview does not show stories' outlets", ex.Message);
            return feeds;
        }
        // Each story's channels are read once, however many items of the preview are outlets of it.
        var channelsOf = new Dictionary<string, IReadOnlyList<Sweeps.StoryChannel>>(StringComparer.Ordinal);
        var marked = new List<PreviewFeed>();
        foreach (var feed in feeds)
        {
            var items = new List<PreviewItem>();
            foreach (var item in feed.Items)
            {
                var article = articles[item];
                var fresh = new Sweeps.FreshArticle(article, article.Matches.Count > 0, []);
                var (after, changed) = Sweeps.FeedPlanner.WithStories([fresh], places, config, firstRead: false)[0];
                var place = places.GetValueOrDefault(article.BlobName);
                var waiting = Sweeps.FeedPlanner.WaitingForOutlets(article, place, config)
                    .Select(r => $"{r.Id} waits for {r.MinOutlets} outlets; the story has {place?.Count ?? 1}").ToList();
                if (place is not null && place.Story.Outlets.Any(o => o.Article != article.BlobName) && !channelsOf.ContainsKey(place.Story.Outlets[0].Article))
                    channelsOf[place.Story.Outlets[0].Article] = (await reports.ReportAsync(config, place.Story, null, null, cancellationToken))?.Channels ?? [];
                var story = place is null ? null : new PreviewStory([.. place.SoFar.OrderBy(o => o.At).Select(o => new Sweeps.ReportedOutlet(o.Name, o.Link, o.At))],
                    after.Article.Story?.GrowingIn ?? [], waiting)
                {
                    Channels = channelsOf.GetValueOrDefault(place.Story.Outlets[0].Article) ?? [],
                };
                var messages = changed
                    ? MessageFormatter.PerChannel(after.Article, article.Source ?? "", config).Select(m => new PreviewMessage(m.Channel.Id, m.Channel.Chat, m.Caption ?? m.Html)
                    {
                        Delivery = after.Article.Story?.GrowingIn.Contains(m.Channel.Id) == true ? string.Join("; ", new[] { "a growing story", DeliveryOf(m) }.OfType<string>()) : DeliveryOf(m),
                    }).ToList()
                    : [.. item.Messages];
                var shown = item with { Story = story, Messages = messages };
                articles.Remove(item);
                articles[shown] = after.Article;
                items.Add(shown);
            }
            marked.Add(feed with { Items = items });
        }
        return marked;
    }

    /// <summary>
    /// Marks each message that repeats a story its channel already had (or an earlier item here), as a sweep would find it
    /// and without claiming anything. Storage out of reach only loses the marks, with a warning.
    /// </summary>
    async Task MarkRepeatsAsync(List<PreviewFeed> feeds, Dictionary<PreviewItem, Article> articles, CancellationToken cancellationToken)
    {
        var items = feeds.SelectMany(f => f.Items).ToList();
        foreach (var channel in items.SelectMany(i => i.Messages).Select(m => m.ChannelId).Distinct().ToList())
        {
            var going = items.Where(i => i.Messages.Any(m => m.ChannelId == channel)).ToList();
            Dictionary<string, string> repeats;
            try
            {
                repeats = await recent.FindAsync(channel, [.. going.Select(i => articles[i])], cancellationToken);
            }
            catch (Exception ex) when (ex is StorageUnavailableException or RequestFailedException or AggregateException)
            {
                logger.LogWarning("Could not read which stories channel {Channel} had lately ({Error}); the preview does not show repeats", channel, ex.Message);
                return;
            }
            foreach (var item in going)
            {
                if (!repeats.TryGetValue(articles[item].BlobName, out var original)) continue;
                var messages = (List<PreviewMessage>)item.Messages;
                var i = messages.FindIndex(m => m.ChannelId == channel);
                var title = articles.Values.FirstOrDefault(a => a.BlobName == original)?.Title;
                messages[i] = messages[i] with
                {
                    Repeats = original,
                    Delivery = $"not sent: the same story as {(title is null ? original : $"\"{title}\" ({original})")}, already alerted to {channel}",
                };
            }
        }
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
