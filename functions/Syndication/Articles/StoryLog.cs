using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Config;
using Syndication.Storage;

namespace Syndication.Articles;

/// <summary>A site that carried a logged story: its outlet, the article, and when it carried it (published, or first read).</summary>
public sealed record StoryOutlet(string Site, string Name, string? Link, string Article, DateTimeOffset At)
{
    public Outlet Outlet => new(Site, Name, Link);
}

/// <summary>A story every feed's new articles are sorted into: its first report's fingerprint and the outlets that carried it, in the order they came.</summary>
public sealed record LoggedStory(string? Url, uint[] Shingles, uint[]? Title, IReadOnlyList<StoryOutlet> Outlets)
{
    public DateTimeOffset At => Outlets[0].At;
}

/// <summary>
/// Where an article stands in its story: the story, and how many of its outlets had carried it once the article was
/// sorted (the article's own included when <see cref="IsOutlet"/>: it came from a site the story did not have yet).
/// </summary>
public sealed record StoryPlace(LoggedStory Story, int Count, bool IsOutlet)
{
    /// <summary>The outlets up to this article's place.</summary>
    public IReadOnlyList<StoryOutlet> SoFar => [.. Story.Outlets.Take(Count)];

    /// <summary>The story as alerts name it: the outlets so far, earliest first, and the time from the first report to the latest.</summary>
    public StorySoFar ToStory()
    {
        // The first report is the one carried first, whichever feed was read first.
        var outlets = SoFar.OrderBy(o => o.At).ToList();
        return new([.. outlets.Select(o => o.Outlet)], outlets.Max(o => o.At) - outlets.Min(o => o.At));
    }
}

/// <summary>
/// The decisions about stories across every feed, as pure functions: which story a new article belongs to, whether it
/// brings the story a new outlet (another site), and whether that makes the story grow past a channel's threshold.
/// Stories are told apart as <see cref="StoryFingerprint"/> tells them, as a channel's repeats are.
/// </summary>
public static class StoryOutlets
{
    /// <summary>
    /// How far back stories are kept for this configuration: twice the longest <c>growing.within</c>, and 12 hours when a rule
    /// counts outlets; null when nothing counts them, and then no story log is read or written.
    /// </summary>
    public static TimeSpan? Window(SyndicationConfig config)
    {
        // Twice the window, so that outlets which come after a story grew still find it, and are added to its alert.
        var spans = config.Channels.Where(c => c.Growing is not null).Select(c => c.Growing!.Within * 2).ToList();
        if (config.Rules.Any(r => r.Enabled && r.MinOutlets > 1)) spans.Add(GrowingStories.CountWindow);
        return spans.Count > 0 ? spans.Max() : null;
    }

    /// <summary>When an article's story got it: its published time, if not in the future, else when it was read.</summary>
    public static DateTimeOffset CarriedAt(Article article, DateTimeOffset now) =>
        article.Published is { } published && published <= now ? published : article.FetchedAt <= now ? article.FetchedAt : now;

    /// <summary>
    /// Sorts <paramref name="articles"/> (in order) into <paramref name="log"/>: each joins the story it is one with (the
    /// same canonical address, or alike words as <see cref="StoryFingerprint.OneStory"/> says, against the first report)
    /// as a new outlet when its site is new to the story, or starts a story. An article already in the log keeps its place,
    /// so a run done again finds what the first found. Articles without a link, or carried before the window, are not
    /// sorted. Stories whose first report is older than the window leave the log.
    /// </summary>
    public static (Dictionary<string, StoryPlace> Places, bool Changed) Sort(List<LoggedStory> log, IReadOnlyList<Article> articles, DateTimeOffset now, TimeSpan window)
    {
        var places = new Dictionary<string, StoryPlace>(StringComparer.Ordinal);
        var changed = log.RemoveAll(s => now - s.At > window) > 0;
        foreach (var article in articles)
        {
            var at = CarriedAt(article, now);
            var (url, shingles, title) = StoryFingerprint.Of(article);
            if (now - at > window || Outlet.SiteOf(url) is not { } site) continue;
            if (Find(log, article.BlobName) is var (known, index))
            {
                places[article.BlobName] = new StoryPlace(known, index + 1, IsOutlet: true);
                continue;
            }
            var outlet = new StoryOutlet(site, article.Source ?? article.FeedId, Links.SafeLink(article.Link), article.BlobName, at);
            if (log.FirstOrDefault(s => url == s.Url || StoryFingerprint.OneStory(s.Shingles, s.Title, shingles, title, at - s.At)) is not { } story)
            {
                var started = new LoggedStory(url, shingles, title, [outlet]);
                log.Add(started);
                places[article.BlobName] = new StoryPlace(started, 1, IsOutlet: true);
                changed = true;
            }
            else if (story.Outlets.Any(o => o.Site == site))
                places[article.BlobName] = new StoryPlace(story, story.Outlets.Count, IsOutlet: false);
            else
            {
                var grown = story with { Outlets = [.. story.Outlets, outlet] };
                log[log.IndexOf(story)] = grown;
                places[article.BlobName] = new StoryPlace(grown, grown.Outlets.Count, IsOutlet: true);
                changed = true;
            }
        }
        return (places, changed);
    }

    static (LoggedStory Story, int Index)? Find(List<LoggedStory> log, string article)
    {
        foreach (var story in log)
            for (var i = 0; i < story.Outlets.Count; i++)
                if (story.Outlets[i].Article == article) return (story, i);
        return null;
    }

    /// <summary>
    /// Whether the article at <paramref name="place"/> is the one that made its story reach <paramref name="outlets"/>
    /// sites within <paramref name="within"/> of each other: they had not before it, and have with it. Outlets are only
    /// ever added, one at a time and each once, so a story does this once for a threshold, however often it is asked.
    /// </summary>
    public static bool Grew(StoryPlace place, int outlets, TimeSpan within) =>
        place.IsOutlet && Reached(place.Story.Outlets.Take(place.Count), outlets, within) && !Reached(place.Story.Outlets.Take(place.Count - 1), outlets, within);

    /// <summary>Whether the story had grown past the threshold before the article at <paramref name="place"/> came.</summary>
    public static bool GrewBefore(StoryPlace place, int outlets, TimeSpan within) => Reached(place.Story.Outlets.Take(place.Count - 1), outlets, within);

    /// <summary>Whether some <paramref name="needed"/> of the outlets carried the story within <paramref name="within"/> of each other.</summary>
    static bool Reached(IEnumerable<StoryOutlet> outlets, int needed, TimeSpan within)
    {
        var times = outlets.Select(o => o.At).Order().ToList();
        for (var i = 0; i + needed - 1 < times.Count; i++)
            if (times[i + needed - 1] - times[i] <= within) return true;
        return false;
    }
}

/// <summary>
/// Every feed's new stories of the last hours, with the sites that carried each (<c>feeds/_stories/log.json</c>), kept only
/// when the configuration counts outlets (<see cref="StoryOutlets.Window"/>). Each read's new articles are sorted into it
/// with one read and one conditional write (feeds read at once share them), so a story's outlets are each added once,
/// in one process or in several, and a threshold is crossed by one article only.
/// </summary>
public sealed class StoryLog(StorageContainers containers, CorruptBlobs corrupt, TimeProvider time)
{
    const string Name = "_stories/log.json";

    /// <summary>A bound on the log: a deployment with more new stories than this within the window keeps the newest.</summary>
    const int MaxStories = 10_000;

    ClaimRounds<(IReadOnlyList<Article> Articles, TimeSpan Window), IReadOnlyDictionary<string, StoryPlace>>? rounds;

    /// <summary>Sorts the articles into the log (see <see cref="StoryOutlets.Sort"/>) and returns each one's place.</summary>
    public Task<IReadOnlyDictionary<string, StoryPlace>> RecordAsync(IReadOnlyList<Article> articles, TimeSpan window, CancellationToken cancellationToken) =>
        LazyInitializer.EnsureInitialized(ref rounds, () => new((_, claims) => RecordTogetherAsync(claims))).JoinAsync(Name, (articles, window), cancellationToken);

    /// <summary>What <see cref="RecordAsync"/> would say, writing nothing (for a dry run).</summary>
    public async Task<IReadOnlyDictionary<string, StoryPlace>> FindAsync(IReadOnlyList<Article> articles, TimeSpan window, CancellationToken cancellationToken) =>
        StoryOutlets.Sort((await ReadAsync(cancellationToken)).Stories, articles, time.GetUtcNow(), window).Places;

    /// <summary>The stories in the log now (for <c>/story</c> and <c>status</c>).</summary>
    public async Task<IReadOnlyList<LoggedStory>> ReadAllAsync(CancellationToken cancellationToken) => (await ReadAsync(cancellationToken)).Stories;

    async Task<IReadOnlyList<IReadOnlyDictionary<string, StoryPlace>>> RecordTogetherAsync(IReadOnlyList<(IReadOnlyList<Article> Articles, TimeSpan Window)> claims)
    {
        var blob = containers.Feeds.GetBlobClient(Name);
        while (true)
        {
            var (log, version) = await ReadAsync(CancellationToken.None);
            var now = time.GetUtcNow();
            var sorted = claims.Select(c => StoryOutlets.Sort(log, c.Articles, now, c.Window)).ToList();
            if (sorted.Any(s => s.Changed))
            {
                if (log.Count > MaxStories) log.RemoveRange(0, log.Count - MaxStories);
                try
                {
                    await BlobJson.WriteAsync(blob, log, version is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All }, CancellationToken.None);
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412)
                {
                    continue; // another process added to the log meanwhile: sort again against what it wrote
                }
            }
            return [.. sorted.Select(s => (IReadOnlyDictionary<string, StoryPlace>)s.Places)];
        }
    }

    async Task<(List<LoggedStory> Stories, ETag? Version)> ReadAsync(CancellationToken cancellationToken)
    {
        var read = await corrupt.ReadAsync<List<LoggedStory>>(containers.Feeds.GetBlobClient(Name), cancellationToken);
        return (read?.Value.Where(s => s.Outlets.Count > 0).ToList() ?? [], read?.ETag);
    }
}
