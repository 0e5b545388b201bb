using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Syndication.Settings;

namespace Syndication.Storage;

/// <summary>
/// The Storage Queues work travels on: batches of due feeds, and channels with alerts to send. Each has a poison queue
/// (<c>{name}-poison</c>, the Functions host's convention) for messages that kept failing. The names come from the app
/// settings the queue triggers bind to (<c>FeedQueue</c>, <c>DeliveryQueue</c>), else from the container prefix.
/// </summary>
public sealed class WorkQueues(QueueServiceClient service, IConfiguration configuration, IOptions<SyndicationOptions> options)
{
    public const string FeedQueueSetting = "FeedQueue";
    public const string DeliveryQueueSetting = "DeliveryQueue";

    /// <summary>Attempts at a message before it is set aside: the Functions host's default <c>maxDequeueCount</c>.</summary>
    public const int MaxDequeueCount = 5;

    /// <summary>Batches of due feeds, one message per batch (<see cref="Sweeps.FeedBatch"/>).</summary>
    public QueueClient Feeds => service.GetQueueClient(configuration[FeedQueueSetting] is { Length: > 0 } name ? name : options.Value.ContainerPrefix + "feed-batches");

    /// <summary>Channels with alerts waiting, one message per wake-up (<see cref="Sweeps.ChannelWake"/>).</summary>
    public QueueClient Deliveries => service.GetQueueClient(configuration[DeliveryQueueSetting] is { Length: > 0 } name ? name : options.Value.ContainerPrefix + "deliveries");

    public QueueClient PoisonOf(QueueClient queue) => service.GetQueueClient(queue.Name + "-poison");

    public IReadOnlyList<QueueClient> All => [Feeds, PoisonOf(Feeds), Deliveries, PoisonOf(Deliveries)];

    readonly System.Threading.Channels.Channel<bool> woken = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    /// <summary>Queues a wake-up for a channel; a consumer in this process hears of it at once instead of at its next poll.</summary>
    public async Task WakeAsync(string wakeMessage, CancellationToken cancellationToken, TimeSpan? delay = null)
    {
        await Deliveries.SendMessageAsync(wakeMessage, delay, cancellationToken: cancellationToken);
        if (delay is null) woken.Writer.TryWrite(true);
    }

    /// <summary>Completes when this process queued a wake-up since the last <see cref="ClearWoken"/>.</summary>
    public Task WokenAsync(CancellationToken cancellationToken) => woken.Reader.WaitToReadAsync(cancellationToken).AsTask();

    /// <summary>Forgets the wake-ups heard so far: called just before looking at the queue.</summary>
    public void ClearWoken()
    {
        while (woken.Reader.TryRead(out _)) { }
    }

    volatile bool created;

    /// <summary>Creates missing queues once per process.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (created) return;
        await StorageContainers.CreateEachAsync(All, queue => queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            queue => $"the queue service at {service.Uri.GetLeftPart(UriPartial.Authority)} could not be reached while creating queue '{queue.Name}'");
        created = true;
    }
}
