using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Primitives;
using Syndication.Settings;
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

    /// <summary>The site the feed names as its own (its channel link), as last read: an OPML export's <c>htmlUrl</c>.</summary>
    public string? Site { get; init; }
}

/// <summary>
/// The state of the feeds of some shards, read when their batch starts and written when it ends, only where something
/// changed: a batch in which no feed changed writes nothing. Feeds are sharded by their host (<see cref="FeedShards"/>), so
/// one batch owns whole shards and two instances working different batches never write the same blob.
/// </summary>
public sealed class FeedStates
{
    readonly ConcurrentDictionary<string, FeedState> feeds = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> shardOf = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<int, bool> dirty = new();
    readonly IReadOnlyDictionary<string, int> configured;

    internal FeedStates(IReadOnlyDictionary<string, int> configured) => this.configured = configured;

    /// <summary>The shards read, with the version each was read at (null: it did not exist).</summary>
    internal ConcurrentDictionary<int, ETag?> Shards { get; } = new();

    public FeedState? Get(string feedId) => feeds.GetValueOrDefault(feedId);

    /// <summary>Sets a feed's state; only a state that differs from the stored one makes its shard dirty.</summary>
    public void Set(string feedId, FeedState state)
    {
        if (feeds.TryGetValue(feedId, out var old) && old == state) return;
        feeds[feedId] = state;
        var shard = ShardOf(feedId);
        shardOf[feedId] = shard;
        dirty[shard] = true;
    }

    public bool HasChanges => !dirty.IsEmpty;

    /// <summary>Feeds whose configured URL the last sweeps found permanently redirected, as warnings on <c>feeds[i].url</c>.</summary>
    public IReadOnlyList<Config.ConfigError> MovedFeeds(Config.SyndicationConfig config) => config.Feeds
        .Select((feed, i) => (feed, i, state: Get(feed.Id)))
        .Where(f => f.state?.MovedTo is { } moved && moved != f.feed.Url.ToString())
        .Select(f => new Config.ConfigError($"feeds[{f.i}].url", $"'{f.feed.Url}' redirects permanently (301/308) to '{f.state!.MovedTo}'; use the new address"))
        .ToList();

    /// <summary>A feed's shard: where the configuration puts it, else where its state was found (a feed since removed).</summary>
    int ShardOf(string feedId) => configured.TryGetValue(feedId, out var shard) ? shard : shardOf.GetValueOrDefault(feedId);

    internal void Loaded(int shard, IEnumerable<KeyValuePair<string, FeedState>> states, bool imported)
    {
        foreach (var (id, state) in states)
        {
            // A shard holds only its own feeds; a state read from elsewhere (the old single blob) is taken by its own shard.
            if (configured.TryGetValue(id, out var home) && home != shard) continue;
            feeds[id] = state;
            shardOf[id] = shard;
        }
        // States carried over from the old single blob are written to their shard once, so it is never read again.
        if (imported && states.Any(s => configured.TryGetValue(s.Key, out var home) && home == shard)) dirty[shard] = true;
    }

    internal IEnumerable<int> Dirty => dirty.Keys;

    internal IEnumerable<string> FeedsOf(int shard) => shardOf.Where(p => p.Value == shard).Select(p => p.Key);

    internal IEnumerable<string> ConfiguredIn(int shard) => configured.Where(p => p.Value == shard).Select(p => p.Key);

    internal void Saved(int shard, ETag etag)
    {
        Shards[shard] = etag;
        dirty.TryRemove(shard, out _);
    }
}

/// <summary>
/// Which shard holds a feed's state: a hash of its site (host and port), so one site's feeds are always in one batch, and
/// the per-host request limit, which one process keeps, holds across instances too.
/// </summary>
public static class FeedShards
{
    public static int Of(FeedDefinition feed, int count) => Of(feed.Url, count);

    public static int Of(Uri url, int count)
    {
        // FNV-1a: stable across processes and versions, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in HttpAddresses.Site(url))
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % (uint)count);
    }

    public static IReadOnlyDictionary<string, int> Map(SyndicationConfig config, int count) =>
        config.Feeds.ToDictionary(f => f.Id, f => Of(f, count), StringComparer.Ordinal);
}

/// <summary>What the scheduler knows about a shard without reading it: its blob's metadata, from one listing.</summary>
/// <param name="DueAt">The earliest time any of its feeds is due; null when one is due at every sweep.</param>
/// <param name="Feeds">A hash of the configured feed ids it was written for: a feed added since makes it due.</param>
public sealed record ShardSummary(int Shard, DateTimeOffset? DueAt, string Feeds);

/// <summary>
/// Loads and saves <see cref="FeedStates"/>: one JSON blob per shard, <c>feeds/state/{shard}.json</c>, each written
/// conditionally on the version read, with the earliest due time and the feed set in its metadata for the scheduler.
/// </summary>
public sealed class FeedStateStore(StorageContainers containers, CorruptBlobs corrupt, IOptions<SyndicationOptions> options)
{
    /// <summary>Where every feed's state lived before it was sharded; read only for shards not written yet.</summary>
    public const string LegacyBlobName = "_state.json";

    const string Prefix = "state/";

    sealed record Document(SortedDictionary<string, FeedState> Feeds);

    public int ShardCount => options.Value.StateShards;

    public static string BlobName(int shard) => $"{Prefix}{shard:D4}.json";

    /// <summary>The blob holding this feed's state.</summary>
    public string BlobNameFor(FeedDefinition feed) => BlobName(FeedShards.Of(feed, ShardCount));

    /// <summary>Reads the states of the given shards (all shards of the configuration when null).</summary>
    public async Task<FeedStates> LoadAsync(SyndicationConfig config, IEnumerable<int>? shards, CancellationToken cancellationToken)
    {
        var map = FeedShards.Map(config, ShardCount);
        var states = new FeedStates(map);
        Lazy<Task<Document?>> legacy = new(() => ReadLegacyAsync(cancellationToken));
        await Parallel.ForEachAsync((shards ?? map.Values).Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (shard, ct) =>
            {
                var read = await corrupt.ReadAsync<Document>(containers.Feeds.GetBlobClient(BlobName(shard)), ct);
                states.Shards[shard] = read?.ETag;
                if (read is { } found) states.Loaded(shard, found.Value.Feeds, imported: false);
                else if (await legacy.Value is { } old) states.Loaded(shard, old.Feeds, imported: true);
            });
        return states;
    }

    async Task<Document?> ReadLegacyAsync(CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<Document>(containers.Feeds.GetBlobClient(LegacyBlobName), cancellationToken).ConfigureAwait(false))?.Value;

    /// <summary>Every shard's due time and feed set, from one listing, without reading any state.</summary>
    public async Task<IReadOnlyDictionary<int, ShardSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var shards = new Dictionary<int, ShardSummary>();
        await foreach (var blob in containers.Feeds.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix, Traits = BlobTraits.Metadata }, cancellationToken))
        {
            if (!int.TryParse(blob.Name.AsSpan(Prefix.Length, blob.Name.Length - Prefix.Length - ".json".Length), out var shard)) continue;
            var metadata = blob.Metadata;
            DateTimeOffset? due = metadata.TryGetValue("due", out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
            shards[shard] = new ShardSummary(shard, due, metadata.TryGetValue("feeds", out var feeds) ? feeds : "");
        }
        return shards;
    }

    /// <summary>A hash of a shard's configured feed ids, as its metadata records it.</summary>
    public static string FeedSetHash(IEnumerable<string> feedIds) =>
        Hashes.Hex(string.Join('\n', feedIds.Order(StringComparer.Ordinal)), 16);

    /// <summary>
    /// Writes each shard with a changed feed, conditionally on the version that was loaded. When another writer got there
    /// first (a batch retried while its first attempt still ran), its states are kept and this batch's changed feeds are laid
    /// over them. Returns how many shards were written.
    /// </summary>
    public async Task<int> SaveAsync(FeedStates states, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var shard in states.Dirty.ToList())
        {
            var blob = containers.Feeds.GetBlobClient(BlobName(shard));
            var mine = states.FeedsOf(shard).ToList();
            var theirs = new Dictionary<string, FeedState>(StringComparer.Ordinal);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var feeds = new SortedDictionary<string, FeedState>(theirs, StringComparer.Ordinal);
                    foreach (var id in mine) if (states.Get(id) is { } state) feeds[id] = state;
                    var conditions = states.Shards.GetValueOrDefault(shard) is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
                    var info = await BlobJson.WriteAsync(blob, new Document(feeds), conditions, cancellationToken, Metadata(feeds, states.ConfiguredIn(shard)));
                    states.Saved(shard, info.ETag);
                    written++;
                    break;
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 3)
                {
                    var read = await corrupt.ReadAsync<Document>(blob, cancellationToken);
                    theirs = read is { } found ? new Dictionary<string, FeedState>(found.Value.Feeds, StringComparer.Ordinal) : [];
                    states.Shards[shard] = read?.ETag;
                }
            }
        }
        return written;
    }

    static Dictionary<string, string> Metadata(IReadOnlyDictionary<string, FeedState> feeds, IEnumerable<string> configured)
    {
        var ids = configured.ToList();
        // Due at every sweep when any configured feed has no due time (never read, or no freshness from its server).
        DateTimeOffset? due = ids.Count == 0 ? null : ids.Select(id => feeds.GetValueOrDefault(id)?.NextDueAt).Aggregate((DateTimeOffset?)DateTimeOffset.MaxValue, (a, b) => b is null || a is null ? null : b < a ? b : a);
        var metadata = new Dictionary<string, string> { ["feeds"] = FeedSetHash(ids) };
        if (due is { } at) metadata["due"] = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return metadata;
    }
}
