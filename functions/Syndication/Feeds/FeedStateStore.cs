using Syndication.Storage;

namespace Syndication.Feeds;

/// <summary>What the last sweeps learned about a feed. <see cref="FirstSuccessAt"/> null means the feed was never read.</summary>
public sealed record FeedState(
    DateTimeOffset? FirstSuccessAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastErrorAt,
    string? LastError,
    int ConsecutiveFailures)
{
    /// <summary>Not fetched again before this: backoff after failures, or the server's Retry-After.</summary>
    public DateTimeOffset? NextDueAt { get; init; }

    /// <summary>Failed too often (or answered 410 Gone): reported in every sweep until it recovers.</summary>
    public bool Broken { get; init; }

    /// <summary>The validators of the last full fetch, for a conditional request next time.</summary>
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
}

/// <summary>Per-feed state, one JSON blob per feed in the <c>feeds</c> container.</summary>
public sealed class FeedStateStore(StorageContainers containers)
{
    public async Task<FeedState?> GetAsync(string feedId, CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<FeedState>(containers.Feeds.GetBlobClient(feedId + ".json"), cancellationToken))?.Value;

    public Task SaveAsync(string feedId, FeedState state, CancellationToken cancellationToken) =>
        BlobJson.WriteAsync(containers.Feeds.GetBlobClient(feedId + ".json"), state, ifMatch: null, cancellationToken);
}
