using Syndication.Storage;

namespace Syndication.Articles;

/// <summary>Keeps every article as one JSON blob in the <c>articles</c> container.</summary>
public sealed class ArticleStore(StorageContainers containers, CorruptBlobs corrupt)
{
    /// <summary>Stores the article unless it is already there. Returns false when it was.</summary>
    public Task<bool> TryCreateAsync(Article article, CancellationToken cancellationToken) =>
        BlobJson.TryCreateAsync(containers.Articles.GetBlobClient(article.BlobName), article, cancellationToken);

    /// <summary>Stores a newer version of an article the feed edited, in place of the old one.</summary>
    public Task ReplaceAsync(Article article, CancellationToken cancellationToken) =>
        BlobJson.WriteAsync(containers.Articles.GetBlobClient(article.BlobName), article, ifMatch: null, cancellationToken);

    public async Task<Article?> GetAsync(string blobName, CancellationToken cancellationToken) =>
        (await corrupt.ReadAsync<Article>(containers.Articles.GetBlobClient(blobName), cancellationToken, keepOriginal: true))?.Value;
}
