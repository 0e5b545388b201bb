using Syndication.Storage;

namespace Syndication.Articles;

/// <summary>Keeps every article as one JSON blob in the <c>articles</c> container.</summary>
public sealed class ArticleStore(StorageContainers containers)
{
    /// <summary>The blob names already stored for a feed: one listing call per 5,000 articles instead of one request per item.</summary>
    public async Task<HashSet<string>> ListBlobNamesAsync(string feedId, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in containers.Articles.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = feedId + "/" }, cancellationToken))
            names.Add(blob.Name);
        return names;
    }

    /// <summary>Stores the article unless it is already there. Returns false when it was.</summary>
    public Task<bool> TryCreateAsync(Article article, CancellationToken cancellationToken) =>
        BlobJson.TryCreateAsync(containers.Articles.GetBlobClient(article.BlobName), article, cancellationToken);

    public async Task<Article?> GetAsync(string blobName, CancellationToken cancellationToken) =>
        (await BlobJson.ReadAsync<Article>(containers.Articles.GetBlobClient(blobName), cancellationToken))?.Value;
}
