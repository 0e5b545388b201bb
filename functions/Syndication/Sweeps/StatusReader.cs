using Azure.Storage.Blobs.Models;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Storage;

namespace Syndication.Sweeps;

public sealed record FeedStatus(string FeedId, string Url, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastErrorAt, string? LastError, int ConsecutiveFailures, int ArticlesStored)
{
    public DateTimeOffset? NextDueAt { get; init; }
    public string? ETag { get; init; }
    public bool Broken { get; init; }
    public string? MovedTo { get; init; }
}

public sealed record ChannelStatus(string ChannelId, string Chat, int Pending, int DeadLetters, FailingChannel? Failing);

public sealed record StatusReport(IReadOnlyList<FeedStatus> Feeds, IReadOnlyList<ChannelStatus> Channels)
{
    /// <summary>Corrupt blobs set aside in the <c>quarantine</c> container, by their original container and name.</summary>
    public IReadOnlyList<string> Quarantined { get; init; } = [];

    /// <summary>Work that kept failing and was set aside in a poison queue, with its reason (the first 32 of each queue).</summary>
    public IReadOnlyList<PoisonMessage> Poisoned { get; init; } = [];

    /// <summary>How many messages the poison queues hold in all.</summary>
    public int PoisonedCount { get; init; }
}

/// <summary>What an operator asks first: which feeds work, which channels receive, and what is waiting or was given up on.</summary>
public sealed class StatusReader(StorageContainers containers, FeedStateStore states, ChannelHealth health, QueueWork work)
{
    public async Task<StatusReport> ReadAsync(SyndicationConfig config, CancellationToken cancellationToken)
    {
        await containers.EnsureCreatedAsync(cancellationToken);
        var all = await states.LoadAsync(config, shards: null, cancellationToken);
        var feeds = new List<FeedStatus>();
        foreach (var feed in config.Feeds)
        {
            var state = all.Get(feed.Id);
            feeds.Add(new FeedStatus(feed.Id, feed.Url.ToString(), state?.LastSuccessAt, state?.LastErrorAt, state?.LastError,
                state?.ConsecutiveFailures ?? 0, state?.ArticlesStored ?? 0)
            {
                NextDueAt = state?.NextDueAt, ETag = state?.ETag ?? state?.LastModified, Broken = state?.Broken ?? false, MovedTo = state?.MovedTo,
            });
        }

        var failing = await health.GetAsync(cancellationToken);
        var channels = new List<ChannelStatus>();
        foreach (var channel in config.Channels)
            channels.Add(new ChannelStatus(channel.Id, channel.Chat,
                await CountAsync(containers.Outbox, channel.Id + "/", cancellationToken),
                await CountAsync(containers.DeadLetter, channel.Id + "/", cancellationToken),
                failing.GetValueOrDefault(channel.Id)));
        var quarantined = new List<string>();
        await foreach (var blob in containers.Quarantine.GetBlobsAsync(new GetBlobsOptions(), cancellationToken)) quarantined.Add(blob.Name);
        var poison = await work.ReadPoisonAsync(cancellationToken);
        return new StatusReport(feeds, channels) { Quarantined = quarantined, Poisoned = poison.Messages, PoisonedCount = poison.Count };
    }

    static async Task<int> CountAsync(Azure.Storage.Blobs.BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken)) count++;
        return count;
    }
}
