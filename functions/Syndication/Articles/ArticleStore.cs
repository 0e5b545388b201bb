using System.Globalization;
using Azure.Storage.Blobs.Models;
using Syndication.Storage;

namespace Syndication.Articles;

/// <summary>Keeps every article as one JSON blob in the <c>articles</c> container.</summary>
public sealed class ArticleStore(StorageContainers containers, CorruptBlobs corrupt)
{
    /// <summary>When the article was read, by the app's clock, in its blob's metadata: a listing tells when each was stored without reading it.</summary>
    public const string FetchedAtMetadata = "fetchedat";

    /// <summary>Stores the article unless it is already there. Returns false when it was.</summary>
    public Task<bool> TryCreateAsync(Article article, CancellationToken cancellationToken) =>
        BlobJson.TryCreateAsync(containers.Articles.GetBlobClient(article.BlobName), article, cancellationToken,
            new Dictionary<string, string> { [FetchedAtMetadata] = article.FetchedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) });

    /// <summary>When a listed article was read: its metadata (listed with <see cref="BlobTraits.Metadata"/>), else when its blob was created.</summary>
    public static DateTimeOffset? FetchedAt(BlobItem blob) =>
        blob.Metadata?.TryGetValue(FetchedAtMetadata, out var ticks) == true && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? new DateTimeOffset(value, TimeSpan.Zero)
            : blob.Properties.CreatedOn;

    /// <summary>Stores a newer version of an article the feed edited, in place of the old one.</summary>
    public Task ReplaceAsync(Article article, CancellationToken cancellationToken) =>
        BlobJson.WriteAsync(containers.Articles.GetBlobClient(article.BlobName), article, ifMatch: null, cancellationToken);

    public async Task<Article?> GetAsync(string blobName, CancellationToken cancellationToken) =>
        (await corrupt.ReadAsync<Article>(containers.Articles.GetBlobClient(blobName), cancellationToken, keepOriginal: true))?.Value;
}
