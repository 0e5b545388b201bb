using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Storage;

namespace Syndication.Feeds;

/// <summary>
/// An item a feed has carried: the hash of its content when last seen, and, once it dropped out of the feed, when.
/// An item that left is kept as a tombstone, so that when it comes back it is known, not new.
/// </summary>
public sealed record SeenItem(string Content, DateTimeOffset FirstSeen)
{
    public DateTimeOffset? LeftAt { get; init; }

    /// <summary>The item's <see cref="FeedEntry.RawHash"/> when last seen: the same again means unchanged, with no HTML read. Null when stored by an older build.</summary>
    public string? Raw { get; init; }

    /// <summary>
    /// Whether <paramref name="entry"/> is this item as last seen: the feed wrote it the same (no conversion needed), or
    /// its text is the same (its markup changed), or this record was seeded from storage without a hash.
    /// </summary>
    public bool Matches(FeedEntry entry) => Raw == entry.RawHash || Content.Length == 0 || Content == entry.ContentHash;
}

/// <summary>
/// The items one feed has carried, keyed by the article's blob id (the hash of the normalized key). Bounded: items in the
/// feed now are always kept; tombstones beyond the bound go oldest first.
/// </summary>
public sealed class SeenItems(Dictionary<string, SeenItem> items, ETag? etag)
{
    public Dictionary<string, SeenItem> Items { get; } = items;

    internal ETag? ETag { get; } = etag;

    /// <summary>Marks items that are no longer in the feed as left, then drops the oldest tombstones past <paramref name="bound"/>.</summary>
    public void Settle(IReadOnlySet<string> current, DateTimeOffset now, int bound)
    {
        foreach (var (id, item) in Items.Where(p => p.Value.LeftAt is null && !current.Contains(p.Key)).ToList())
            Items[id] = item with { LeftAt = now };
        var room = Math.Max(0, bound - current.Count);
        var tombstones = Items.Where(p => p.Value.LeftAt is not null).OrderByDescending(p => p.Value.LeftAt).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        foreach (var (id, _) in tombstones.Skip(room))
            Items.Remove(id);
    }
}

/// <summary>
/// One blob per feed, <c>feeds/seen/{feedId}.json</c>, read and written only when the feed's items changed. When it is
/// missing (a new feed, or storage lost it), the stored articles' names seed it, so nothing stored is alerted again.
/// </summary>
public sealed class SeenItemStore(StorageContainers containers, CorruptBlobs corrupt)
{
    static string NameFor(string feedId) => $"seen/{feedId}.json";

    public async Task<SeenItems> LoadAsync(string feedId, CancellationToken cancellationToken)
    {
        if (await corrupt.ReadAsync<Dictionary<string, SeenItem>>(containers.Feeds.GetBlobClient(NameFor(feedId)), cancellationToken) is { } read)
            return new SeenItems(read.Value, read.ETag);

        var seeded = new Dictionary<string, SeenItem>(StringComparer.Ordinal);
        await foreach (var blob in containers.Articles.GetBlobsAsync(new GetBlobsOptions { Prefix = feedId + "/" }, cancellationToken))
            seeded[IdOf(blob.Name)] = new SeenItem("", blob.Properties.CreatedOn ?? DateTimeOffset.MinValue);
        return new SeenItems(seeded, null);
    }

    public Task SaveAsync(string feedId, SeenItems seen, CancellationToken cancellationToken) =>
        BlobJson.WriteAsync(containers.Feeds.GetBlobClient(NameFor(feedId)), seen.Items,
            seen.ETag is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);

    /// <summary><c>{feedId}/{id}.json</c> → <c>{id}</c>.</summary>
    public static string IdOf(string articleBlobName) => articleBlobName[(articleBlobName.IndexOf('/') + 1)..^".json".Length];
}
