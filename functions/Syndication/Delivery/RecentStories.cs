using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Articles;
using Syndication.Storage;

namespace Syndication.Delivery;

/// <summary>One story alerted to a channel: its canonical address, its shingles, which article it was and when.</summary>
public sealed record RecentStory(string? Url, uint[] Shingles, string Article, DateTimeOffset At);

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
    /// Claims <paramref name="article"/>'s story for the channel and returns null, or returns the article it duplicates
    /// (one alerted to the channel in the last 48 hours with the same canonical address or near-identical title and lead).
    /// Claiming an article already claimed (a run cut short and done again) is not a duplicate.
    /// </summary>
    public async Task<string?> ClaimAsync(string channelId, Article article, CancellationToken cancellationToken)
    {
        var url = StoryFingerprint.CanonicalUrl(article.Link);
        var shingles = StoryFingerprint.Shingles(article.Title, article.Text);
        var blob = containers.Feeds.GetBlobClient(NameFor(channelId));
        while (true)
        {
            var now = time.GetUtcNow();
            var read = await corrupt.ReadAsync<List<RecentStory>>(blob, cancellationToken);
            var stories = read?.Value.Where(s => now - s.At < Window).ToList() ?? [];
            if (stories.Any(s => s.Article == article.BlobName)) return null;
            if (Match(stories, url, shingles) is { } original) return original.Article;
            stories.Add(new RecentStory(url, shingles, article.BlobName, now));
            if (stories.Count > MaxStories) stories.RemoveRange(0, stories.Count - MaxStories);
            try
            {
                await BlobJson.WriteAsync(blob, stories, read is { } version ? new BlobRequestConditions { IfMatch = version.ETag } : new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another feed claimed a story for this channel meanwhile: read again, it may be this one.
            }
        }
    }

    /// <summary>The article a story duplicates among the channel's recent ones, without claiming it (for previews).</summary>
    public async Task<string?> FindAsync(string channelId, Article article, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await corrupt.ReadAsync<List<RecentStory>>(containers.Feeds.GetBlobClient(NameFor(channelId)), cancellationToken);
        var stories = read?.Value.Where(s => now - s.At < Window && s.Article != article.BlobName).ToList() ?? [];
        return Match(stories, StoryFingerprint.CanonicalUrl(article.Link), StoryFingerprint.Shingles(article.Title, article.Text))?.Article;
    }

    static RecentStory? Match(List<RecentStory> stories, string? url, uint[] shingles) =>
        stories.FirstOrDefault(s => url is not null && s.Url == url)
        ?? stories.FirstOrDefault(s => StoryFingerprint.Similarity(s.Shingles, shingles) >= StoryFingerprint.SameStory);
}
