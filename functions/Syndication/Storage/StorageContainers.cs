using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Syndication.Primitives;
using Syndication.Settings;

namespace Syndication.Storage;

/// <summary>
/// The blob containers Syndication keeps its state in. Every name can carry a prefix
/// (<c>Syndication__ContainerPrefix</c>) so that tests or several deployments can share one account. The account is
/// reached at the first use of a container, so a command that can do without storage (a preview) runs without it.
/// </summary>
public sealed class StorageContainers(Func<BlobServiceClient> connect, IOptions<SyndicationOptions> options)
{
    public StorageContainers(BlobServiceClient service, IOptions<SyndicationOptions> options) : this(() => service, options)
    {
    }

    BlobServiceClient? client;

    BlobServiceClient Service => client ??= connect();

    string Prefix => options.Value.ContainerPrefix;

    /// <summary>One JSON blob per article, named <c>{feedId}/{hash}.json</c>.</summary>
    public BlobContainerClient Articles => Service.GetBlobContainerClient(Prefix + "articles");

    /// <summary>Per-feed state, named <c>{feedId}.json</c>.</summary>
    public BlobContainerClient Feeds => Service.GetBlobContainerClient(Prefix + "feeds");

    /// <summary>Alerts waiting to be sent, one per (article, channel).</summary>
    public BlobContainerClient Outbox => Service.GetBlobContainerClient(Prefix + "outbox");

    /// <summary>Alerts that were sent, one per (article, channel); a send happens only while no record exists.</summary>
    public BlobContainerClient Deliveries => Service.GetBlobContainerClient(Prefix + "deliveries");

    /// <summary>Alerts that will never be sent (chat gone, message rejected, retried too long), with the reason.</summary>
    public BlobContainerClient DeadLetter => Service.GetBlobContainerClient(Prefix + "deadletter");

    /// <summary>Holds <c>syndication.json</c>, the editors' configuration.</summary>
    public BlobContainerClient Config => Service.GetBlobContainerClient(Prefix + "config");

    /// <summary>Blobs that held something other than the JSON the app wrote, set aside for a person to inspect.</summary>
    public BlobContainerClient Quarantine => Service.GetBlobContainerClient(Prefix + "quarantine");

    /// <summary>Every container the app uses; the Bicep template must create the same set.</summary>
    public IReadOnlyList<BlobContainerClient> All => [Articles, Feeds, Outbox, Deliveries, DeadLetter, Config, Quarantine];

    volatile bool created;

    /// <summary>Creates missing containers once per process: creating a container is billed like a listing, on every call.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (created) return;
        await CreateEachAsync(All, container => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            container => $"article storage at {Service.Uri.GetLeftPart(UriPartial.Authority)} could not be reached while creating container '{container.Name}'");
        created = true;
    }

    /// <summary>Creates each of <paramref name="items"/>; the first that cannot be reached is a <see cref="StorageUnavailableException"/> that says which.</summary>
    public static async Task CreateEachAsync<T>(IEnumerable<T> items, Func<T, Task> create, Func<T, string> what)
    {
        foreach (var item in items)
        {
            try
            {
                await create(item);
            }
            catch (Exception ex) when (ex is RequestFailedException or AggregateException)
            {
                throw new StorageUnavailableException($"{what(item)}: {Flatten(ex)}", ex);
            }
        }
    }

    public static string Flatten(Exception ex) => ex is AggregateException aggregate
        ? aggregate.InnerExceptions.LastOrDefault()?.Message ?? ex.Message
        : ex.FirstLine();
}
