using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Storage;

namespace Syndication.Watches;

/// <summary>
/// Subscribers in blobs: one per person, <c>feeds/subscribers/{chatId}.json</c>, which is the record, and the index of
/// them all, <c>feeds/subscribers/_index.json</c>, which sweeps read. Each change writes the person's blob first, then
/// the index, both conditionally; an index lost or behind is rebuilt from the people's blobs.
/// </summary>
public sealed class SubscriberStore(StorageContainers containers, CorruptBlobs corrupt)
{
    const string Prefix = "subscribers/";
    const string IndexName = Prefix + "_index.json";

    static string NameFor(long chatId) => $"{Prefix}{chatId}.json";

    public async Task<(Subscriber Subscriber, ETag ETag)?> GetAsync(long chatId, CancellationToken cancellationToken) =>
        await corrupt.ReadAsync<Subscriber>(containers.Feeds.GetBlobClient(NameFor(chatId)), cancellationToken);

    /// <summary>
    /// Writes the person's record, conditionally on the version they read (<paramref name="read"/>; null for a new
    /// person), then puts it in the index. False when another command changed the record first: read it again.
    /// </summary>
    public async Task<bool> SaveAsync(Subscriber subscriber, ETag? read, CancellationToken cancellationToken)
    {
        try
        {
            await BlobJson.WriteAsync(containers.Feeds.GetBlobClient(NameFor(subscriber.ChatId)), subscriber,
                read is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
        await UpdateIndexAsync(index => index.With(subscriber), cancellationToken);
        return true;
    }

    /// <summary>
    /// Forgets a person: their record and their place in the index. True when there was anything to forget.
    /// <paramref name="refused"/> counts them among those unsubscribed because Telegram refused their chat.
    /// </summary>
    public async Task<bool> DeleteAsync(long chatId, CancellationToken cancellationToken, bool refused = false)
    {
        var deleted = (await containers.Feeds.GetBlobClient(NameFor(chatId)).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value;
        var indexed = false;
        await UpdateIndexAsync(index =>
        {
            indexed = index.Subscribers.Any(s => s.ChatId == chatId);
            return index.Without(chatId, refused);
        }, cancellationToken);
        return deleted || indexed;
    }

    /// <summary>The index a sweep matches against; rebuilt from the people's records when it is missing.</summary>
    public async Task<WatchIndex> IndexAsync(CancellationToken cancellationToken) =>
        (await ReadIndexAsync(cancellationToken)).Index;

    /// <summary>The index with its version (null when it was rebuilt, not read).</summary>
    public Task<(WatchIndex Index, ETag? ETag)> IndexWithVersionAsync(CancellationToken cancellationToken) => ReadIndexAsync(cancellationToken);

    /// <summary>The index's version, from one HEAD request: whether what was read before still stands. Null when there is none.</summary>
    public async Task<ETag?> IndexVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await containers.Feeds.GetBlobClient(IndexName).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    async Task<(WatchIndex Index, ETag? ETag)> ReadIndexAsync(CancellationToken cancellationToken)
    {
        if (await corrupt.ReadAsync<WatchIndex>(containers.Feeds.GetBlobClient(IndexName), cancellationToken) is { } read) return (read.Value, read.ETag);
        return (await RebuildAsync(cancellationToken), null);
    }

    /// <summary>The index made again from every person's record.</summary>
    public async Task<WatchIndex> RebuildAsync(CancellationToken cancellationToken)
    {
        var subscribers = new List<Subscriber>();
        try
        {
            await foreach (var blob in containers.Feeds.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix }, cancellationToken))
                if (blob.Name != IndexName && await corrupt.ReadAsync<Subscriber>(containers.Feeds.GetBlobClient(blob.Name), cancellationToken) is { } read)
                    subscribers.Add(read.Value);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return WatchIndex.Empty; // new storage: the first sweep has not made the containers yet
        }
        return new WatchIndex([.. subscribers.OrderBy(s => s.ChatId)]); // the count of people unsubscribed is lost with the index
    }

    async Task UpdateIndexAsync(Func<WatchIndex, WatchIndex> change, CancellationToken cancellationToken)
    {
        var blob = containers.Feeds.GetBlobClient(IndexName);
        while (true)
        {
            var (index, etag) = await ReadIndexAsync(cancellationToken);
            try
            {
                await BlobJson.WriteAsync(blob, change(index), etag is { } version ? new BlobRequestConditions { IfMatch = version } : new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another person's change went in first: read it and apply this one on top.
            }
        }
    }
}
