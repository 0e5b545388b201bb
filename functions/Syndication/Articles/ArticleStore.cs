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

    /// <summary>The articles stored since <paramref name="since"/>: each blob's feed, when it was read, and its name, from one listing (nothing downloaded).</summary>
    public async Task<IReadOnlyList<(string FeedId, DateTimeOffset At, string Name)>> ListAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var stored = new List<(string, DateTimeOffset, string)>();
        if (!await containers.Articles.ExistsAsync(cancellationToken)) return stored;
        await foreach (var blob in containers.Articles.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken))
            if (FetchedAt(blob) is { } at && at >= since && blob.Name.IndexOf('/') is > 0 and var slash)
                stored.Add((blob.Name[..slash], at, blob.Name));
        return stored;
    }

    /// <summary>The <paramref name="count"/> articles read last, newest first: one listing, then 8 reads at a time.</summary>
    public async Task<IReadOnlyList<Article>> NewestAsync(int count, CancellationToken cancellationToken)
    {
        var names = (await ListAsync(DateTimeOffset.MinValue, cancellationToken)).OrderByDescending(s => s.At).Take(count).Select(s => s.Name).ToList();
        var read = new Article?[names.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (i, ct) => read[i] = await GetAsync(names[i], ct));
        return [.. read.OfType<Article>()];
    }

    public async Task<Article?> GetAsync(string blobName, CancellationToken cancellationToken) =>
        (await corrupt.ReadAsync<Article>(containers.Articles.GetBlobClient(blobName), cancellationToken, keepOriginal: true))?.Value;
}
