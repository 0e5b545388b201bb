using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs.Models;
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
    /// <summary>Not fetched again before this: backoff after failures, Retry-After, Cache-Control/Expires or minIntervalMinutes.</summary>
    public DateTimeOffset? NextDueAt { get; init; }

    /// <summary>Failed too often (or answered 410 Gone): reported in every sweep until it recovers.</summary>
    public bool Broken { get; init; }

    /// <summary>The validators of the last full fetch, for a conditional request next time.</summary>
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>A hash of the items' keys and contents at the last read: a feed served whole but unchanged costs no storage.</summary>
    public string? ItemsFingerprint { get; init; }

    /// <summary>Articles stored for this feed since it was added.</summary>
    public int ArticlesStored { get; init; }

    /// <summary>The first read held items back for later sweeps: until it completes, backfill still limits what alerts.</summary>
    public bool FirstReadPending { get; init; }

    /// <summary>Where the feed's address permanently redirects (301/308): editors should update the configured URL.</summary>
    public string? MovedTo { get; init; }
}

/// <summary>
/// The state of every feed, read once per sweep and written once at its end, only when something changed: a sweep in
/// which no feed changed writes nothing. One JSON blob, <c>feeds/_state.json</c>, guarded by its ETag.
/// </summary>
public sealed class FeedStates
{
    readonly ConcurrentDictionary<string, FeedState> feeds;
    readonly ConcurrentDictionary<string, bool> changed = new(StringComparer.Ordinal);

    internal FeedStates(IDictionary<string, FeedState> feeds, ETag? etag)
    {
        this.feeds = new ConcurrentDictionary<string, FeedState>(feeds, StringComparer.Ordinal);
        ETag = etag;
    }

    internal ETag? ETag { get; set; }

    public FeedState? Get(string feedId) => feeds.GetValueOrDefault(feedId);

    /// <summary>Sets a feed's state; only a state that differs from the stored one makes the blob dirty.</summary>
    public void Set(string feedId, FeedState state)
    {
        if (feeds.TryGetValue(feedId, out var old) && old == state) return;
        feeds[feedId] = state;
        changed[feedId] = true;
    }

    public bool HasChanges => !changed.IsEmpty;

    /// <summary>Feeds whose configured URL the last sweeps found permanently redirected, as warnings on <c>feeds[i].url</c>.</summary>
    public IReadOnlyList<Config.ConfigError> MovedFeeds(Config.SyndicationConfig config) => config.Feeds
        .Select((feed, i) => (feed, i, state: Get(feed.Id)))
        .Where(f => f.state?.MovedTo is { } moved && moved != f.feed.Url.ToString())
        .Select(f => new Config.ConfigError($"feeds[{f.i}].url", $"'{f.feed.Url}' redirects permanently (301/308) to '{f.state!.MovedTo}'; use the new address"))
        .ToList();

    internal IReadOnlyDictionary<string, FeedState> All => feeds;

    internal IEnumerable<string> Changed => changed.Keys;

    internal void Saved(ETag etag)
    {
        ETag = etag;
        changed.Clear();
    }
}

/// <summary>Loads and saves <see cref="FeedStates"/>.</summary>
public sealed class FeedStateStore(StorageContainers containers, CorruptBlobs corrupt)
{
    const string BlobName = "_state.json";

    sealed record Document(SortedDictionary<string, FeedState> Feeds);

    public async Task<FeedStates> LoadAsync(CancellationToken cancellationToken)
    {
        var read = await corrupt.ReadAsync<Document>(containers.Feeds.GetBlobClient(BlobName), cancellationToken);
        return read is { } found ? new FeedStates(found.Value.Feeds, found.ETag) : new FeedStates(new Dictionary<string, FeedState>(), null);
    }

    /// <summary>
    /// Writes the states if any changed, conditionally on the version that was loaded. When another writer got there
    /// first (possible only if a sweep outlived its lease), its states are kept and this sweep's changed feeds are laid
    /// over them. Returns whether a write was made.
    /// </summary>
    public async Task<bool> SaveAsync(FeedStates states, CancellationToken cancellationToken)
    {
        if (!states.HasChanges) return false;
        var blob = containers.Feeds.GetBlobClient(BlobName);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var document = new Document(new SortedDictionary<string, FeedState>(states.All.ToDictionary(), StringComparer.Ordinal));
                var conditions = states.ETag is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = Azure.ETag.All };
                var info = await BlobJson.WriteAsync(blob, document, conditions, cancellationToken);
                states.Saved(info.ETag);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 3)
            {
                var theirs = await LoadAsync(cancellationToken);
                var ours = states.Changed.ToHashSet(StringComparer.Ordinal);
                foreach (var (id, state) in theirs.All.Where(p => !ours.Contains(p.Key)))
                    states.Set(id, state);
                states.ETag = theirs.ETag;
            }
        }
    }
}
