using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Articles;
using Syndication.Storage;

namespace Syndication.Delivery;

/// <summary>
/// One story alerted to a channel: its canonical address, the shingles of its title and lead, which article it was, when,
/// and its headline's words (absent in lists written before headlines were compared).
/// </summary>
public sealed record RecentStory(string? Url, uint[] Shingles, string Article, DateTimeOffset At, uint[]? Title = null);

/// <summary>
/// The stories each channel was alerted to in the last 48 hours, one blob per channel (<c>feeds/_recent/{channelId}.json</c>),
/// so the same story from another feed is not alerted to it again. A story is claimed with a conditional write before
/// its alert is queued: two feeds read at once that carry one story cannot both claim it.
/// </summary>
public sealed class RecentStories(StorageContainers containers, CorruptBlobs corrupt, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(48);

    /// <summary>A bound on one channel's list: a channel alerted more than this in 48 hours keeps the newest.</summary>
    const int MaxStories = 5_000;

    static string NameFor(string channelId) => $"_recent/{channelId}.json";

    /// <summary>
    /// Claims the stories of <paramref name="articles"/> (in order) for the channel, with one read and one write, and returns
    /// those that repeat a story alerted to it in the last 48 hours (the same canonical address or near-identical title and
    /// lead, or alike headlines within 12 hours), each with the article it repeats; an earlier article of the same call counts. An article already claimed (a
    /// run cut short and done again) is not a repeat of itself.
    /// </summary>
    public async Task<Dictionary<string, string>> ClaimAsync(string channelId, IReadOnlyList<Article> articles, CancellationToken cancellationToken)
    {
        var blob = containers.Feeds.GetBlobClient(NameFor(channelId));
        while (true)
        {
            var (stories, version) = await ReadAsync(blob, cancellationToken);
            var (repeats, added) = SameStories.Sort(stories, articles, time.GetUtcNow());
            if (!added) return repeats;
            if (stories.Count > MaxStories) stories.RemoveRange(0, stories.Count - MaxStories);
            try
            {
                await BlobJson.WriteAsync(blob, stories, version is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);
                return repeats;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another feed claimed a story for this channel meanwhile: read again, it may be one of these.
            }
        }
    }

    /// <summary>What <see cref="ClaimAsync"/> would say, without claiming anything (for a dry run).</summary>
    public async Task<Dictionary<string, string>> FindAsync(string channelId, IReadOnlyList<Article> articles, CancellationToken cancellationToken) =>
        SameStories.Sort((await ReadAsync(containers.Feeds.GetBlobClient(NameFor(channelId)), cancellationToken)).Stories, articles, time.GetUtcNow()).Repeats;

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
    public static (Dictionary<string, string> Repeats, bool Added) Sort(List<RecentStory> stories, IReadOnlyList<Article> articles, DateTimeOffset now)
    {
        var repeats = new Dictionary<string, string>(StringComparer.Ordinal);
        var added = false;
        foreach (var article in articles)
        {
            if (stories.Any(s => s.Article == article.BlobName)) continue;
            var (url, shingles, title) = (StoryFingerprint.CanonicalUrl(article.Link), StoryFingerprint.Shingles(article.Title, article.Text), StoryFingerprint.TitleWords(article.Title));
            if (Match(stories, url, shingles, title, now) is { } original)
            {
                repeats[article.BlobName] = original.Article;
                continue;
            }
            stories.Add(new RecentStory(url, shingles, article.BlobName, now, title));
            added = true;
        }
        return (repeats, added);
    }

    static RecentStory? Match(List<RecentStory> stories, string? url, uint[] shingles, uint[] title, DateTimeOffset now) =>
        stories.FirstOrDefault(s => url is not null && s.Url == url)
        ?? stories.FirstOrDefault(s => StoryFingerprint.OneStory(s.Shingles, s.Title, shingles, title, now - s.At));
}
