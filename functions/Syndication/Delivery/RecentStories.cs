using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Articles;
using Syndication.Storage;

namespace Syndication.Delivery;

/// <summary>
/// One story alerted to a channel: its canonical address, the shingles of its title and lead, which article it was, when,
/// and its headline's words (absent in lists written before headlines were compared).
/// </summary>
public sealed record RecentStory(string? Url, uint[] Shingles, string Article, DateTimeOffset At, uint[]? Title = null)
{
    /// <summary>The other outlets that carried the story after it was alerted here, in the order they came.</summary>
    public IReadOnlyList<Outlet>? Also { get; init; }

    /// <summary>When the last "also reported by" edit was set to go: the next goes no sooner than 10 minutes after it.</summary>
    public DateTimeOffset? AlsoAt { get; init; }
}

/// <summary>A story alerted in a channel that other outlets now carry too: all of them so far, and when its edit may go.</summary>
public sealed record AlsoReported(IReadOnlyList<Outlet> Outlets, DateTimeOffset GoAt);

/// <summary>What a claim found: the articles that repeat a story the channel had (article → the original), and the originals other outlets now carry too.</summary>
public sealed record Claimed(IReadOnlyDictionary<string, string> Repeats, IReadOnlyDictionary<string, AlsoReported> Also)
{
    public static readonly Claimed None = new(new Dictionary<string, string>(), new Dictionary<string, AlsoReported>());
}

/// <summary>
/// The stories each channel was alerted to in the last 48 hours, one blob per channel (<c>feeds/_recent/{channelId}.json</c>),
/// so the same story from another feed is not alerted to it again. A story is claimed with a conditional write before
/// its alert is queued: two feeds read at once that carry one story cannot both claim it, in one process or in two.
/// </summary>
/// <remarks>
/// In one process, the claims of feeds read at the same moment are made together (<see cref="ClaimRounds{TClaim, TResult}"/>):
/// one read and one write of a channel's list for all of them; a busy channel's list is a few megabytes.
/// </remarks>
public sealed class RecentStories(StorageContainers containers, CorruptBlobs corrupt, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(48);

    /// <summary>A bound on one channel's list: a channel alerted more than this in 48 hours keeps the newest.</summary>
    const int MaxStories = 5_000;

    static string NameFor(string channelId) => $"_recent/{channelId}.json";

    ClaimRounds<IReadOnlyList<Article>, Claimed>? rounds;

    /// <summary>
    /// Claims the stories of <paramref name="articles"/> (in order) for the channel, and returns those that repeat a story
    /// alerted to it in the last 48 hours (the same canonical address or near-identical title and lead, or alike headlines
    /// within 12 hours), each with the article it repeats; an earlier article of the same call, or of a claim made just
    /// before it, counts. An article already claimed (a run cut short and done again) is not a repeat of itself.
    /// </summary>
    public Task<Claimed> ClaimAsync(string channelId, IReadOnlyList<Article> articles, CancellationToken cancellationToken) =>
        LazyInitializer.EnsureInitialized(ref rounds, () => new(ClaimTogetherAsync)).JoinAsync(channelId, articles, cancellationToken);

    /// <summary>One read and one conditional write for several claims, each sorted in turn against the list as the ones before it left it.</summary>
    async Task<IReadOnlyList<Claimed>> ClaimTogetherAsync(string channelId, IReadOnlyList<IReadOnlyList<Article>> claims)
    {
        var blob = containers.Feeds.GetBlobClient(NameFor(channelId));
        while (true)
        {
            var (stories, version) = await ReadAsync(blob, CancellationToken.None);
            var sorted = claims.Select(articles => SameStories.Sort(stories, articles, time.GetUtcNow(), channelId)).ToList();
            // A story first claimed in this round that a later claim of the round found on another site: the first claim is
            // told too, since its alert is not queued yet and the later one could not edit it; it adds the line once queued.
            for (var i = 0; i < sorted.Count; i++)
                foreach (var article in claims[i].Where(a => !sorted[i].Repeats.ContainsKey(a.BlobName)))
                    if (sorted.Skip(i + 1).LastOrDefault(s => s.Also.ContainsKey(article.BlobName)) is var (_, _, later) && later is not null)
                        sorted[i].Also[article.BlobName] = later[article.BlobName];
            if (!sorted.Any(s => s.Added || s.Also.Count > 0)) return [.. sorted.Select(s => new Claimed(s.Repeats, s.Also))];
            if (stories.Count > MaxStories) stories.RemoveRange(0, stories.Count - MaxStories);
            try
            {
                await BlobJson.WriteAsync(blob, stories, version is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All }, CancellationToken.None);
                return [.. sorted.Select(s => new Claimed(s.Repeats, s.Also))];
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another process claimed a story for this channel meanwhile: read again, it may be one of these.
            }
        }
    }

    /// <summary>Deletes the channel's list of recent stories (for a person who stopped) and its lock; true when there was a list.</summary>
    public async Task<bool> ForgetAsync(string channelId, CancellationToken cancellationToken)
    {
        await containers.Feeds.GetBlobClient(BlobLeases.Channel(channelId)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        return (await containers.Feeds.GetBlobClient(NameFor(channelId)).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value;
    }

    /// <summary>The channel's stories of the last 48 hours, as kept (for <c>/story</c>).</summary>
    public async Task<IReadOnlyList<RecentStory>> StoriesAsync(string channelId, CancellationToken cancellationToken) =>
        (await ReadAsync(containers.Feeds.GetBlobClient(NameFor(channelId)), cancellationToken)).Stories;

    /// <summary>What <see cref="ClaimAsync"/> would say, without claiming anything (for a dry run).</summary>
    public async Task<Dictionary<string, string>> FindAsync(string channelId, IReadOnlyList<Article> articles, CancellationToken cancellationToken) =>
        SameStories.Sort((await ReadAsync(containers.Feeds.GetBlobClient(NameFor(channelId)), cancellationToken)).Stories, articles, time.GetUtcNow(), channelId).Repeats;

    /// <summary>The channel's stories of the last 48 hours, and the version read.</summary>
    async Task<(List<RecentStory> Stories, ETag? Version)> ReadAsync(Azure.Storage.Blobs.BlobClient blob, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await corrupt.ReadAsync<List<RecentStory>>(blob, cancellationToken);
        return (read?.Value.Where(s => now - s.At < Window).ToList() ?? [], read?.ETag);
    }
}

/// <summary>
/// Which articles repeat a story a channel already had, as a pure function of the channel's recent stories: the same
/// canonical address, near-identical title and lead, or alike headlines within 12 hours (<see cref="StoryFingerprint"/>).
/// </summary>
public static class SameStories
{
    /// <summary>
    /// Tells the repeats among <paramref name="articles"/> (in order) from the new stories, which it adds to
    /// <paramref name="stories"/>; an article already there is neither.
    /// </summary>
    /// <remarks>
    /// A repeat from another site than the story's first report, and than those already counted, is added to the story's
    /// <see cref="RecentStory.Also"/>, and returned in <c>Also</c> with when its "also reported by" edit may go: now, or
    /// <see cref="AlsoSpacing"/> after the last one, whichever is later.
    /// </remarks>
    /// <param name="channelId">The channel claiming: an article that only follows a story grown there before it (see
    /// <see cref="StorySoFar.GrownIn"/>) may be a repeat, and so one more outlet, but never a story of its own.</param>
    public static (Dictionary<string, string> Repeats, bool Added, Dictionary<string, AlsoReported> Also) Sort(List<RecentStory> stories, IReadOnlyList<Article> articles, DateTimeOffset now,
        string? channelId = null)
    {
        var repeats = new Dictionary<string, string>(StringComparer.Ordinal);
        var also = new Dictionary<string, AlsoReported>(StringComparer.Ordinal);
        var added = false;
        foreach (var article in articles)
        {
            if (stories.Any(s => s.Article == article.BlobName)) continue;
            var (url, shingles, title) = StoryFingerprint.Of(article);
            if (Match(stories, url, shingles, title, now) is { } original)
            {
                repeats[article.BlobName] = original.Article;
                // Another site than the first report's (the site of its canonical address) and than those counted already.
                if (Outlet.Of(article, url) is { } outlet && outlet.Site != Outlet.SiteOf(original.Url) && !(original.Also ?? []).Any(o => o.Site == outlet.Site))
                {
                    var goAt = original.AlsoAt is { } last && last + AlsoSpacing > now ? last + AlsoSpacing : now;
                    var grown = original with { Also = [.. original.Also ?? [], outlet], AlsoAt = goAt };
                    stories[stories.IndexOf(original)] = grown;
                    also[original.Article] = new AlsoReported(grown.Also, goAt);
                }
                continue;
            }
            if (channelId is not null && article.Story?.GrownIn.Contains(channelId) == true && !article.Matches.Any(m => m.Channels.Contains(channelId))) continue;
            // An alert that names the outlets its story had (a growing story's) starts the line its later edits add to.
            var named = article.Story?.Outlets.Where(o => o.Site != Outlet.SiteOf(url)).ToList();
            stories.Add(new RecentStory(url, shingles, article.BlobName, now, title) { Also = named is { Count: > 0 } ? named : null });
            added = true;
        }
        return (repeats, added, also);
    }

    /// <summary>The least time between two "also reported by" edits of one story in one channel.</summary>
    public static readonly TimeSpan AlsoSpacing = TimeSpan.FromMinutes(10);

    static RecentStory? Match(List<RecentStory> stories, string? url, uint[] shingles, uint[] title, DateTimeOffset now) =>
        stories.FirstOrDefault(s => url is not null && s.Url == url)
        ?? stories.FirstOrDefault(s => StoryFingerprint.OneStory(s.Shingles, s.Title, shingles, title, now - s.At));
}
