using Azure.Storage.Blobs.Models;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Storage;
using Syndication.Watches;

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

    /// <summary>People following their own watches, as counts only; null when subscriptions are off and nobody is kept.</summary>
    public SubscriberCounts? Subscribers { get; init; }
}

/// <summary>
/// Subscribers as counts, which is all operators and editors see of them: how many people, watches and muted, how many
/// were unsubscribed because they blocked the bot, and invitations not yet used.
/// </summary>
public sealed record SubscriberCounts(SubscriptionMode Mode, int People, int Watches, int Muted, int Unsubscribed, int OpenInvitations)
{
    public static SubscriberCounts Of(SubscriptionMode mode, WatchIndex index, int openInvitations, DateTimeOffset now) =>
        new(mode, index.Subscribers.Count, index.WatchCount, index.Subscribers.Count(s => s.MutedAt(now)), index.Unsubscribed, openInvitations);

    /// <summary>One line, for <c>status</c> and <c>/status</c>.</summary>
    public string Line =>
        $"Subscribers ({Mode.ToString().ToLowerInvariant()}): {People} {(People == 1 ? "person" : "people")} with {Watches} {(Watches == 1 ? "watch" : "watches")}, {Muted} muted; "
        + $"{Unsubscribed} unsubscribed because they blocked the bot{(Mode == SubscriptionMode.Invite ? $"; {OpenInvitations} invitation(s) not used yet" : "")}";
}

/// <summary>What an operator asks first: which feeds work, which channels receive, and what is waiting or was given up on.</summary>
public sealed class StatusReader(StorageContainers containers, FeedStateStore states, ChannelHealth health, QueueWork work, SubscriberStore subscribers, InviteStore invites, TimeProvider time)
{
    /// <summary>Each feed's site as its last read found it, by feed id: what an OPML export writes as <c>htmlUrl</c>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SitesAsync(SyndicationConfig config, CancellationToken cancellationToken)
    {
        await containers.EnsureCreatedAsync(cancellationToken);
        var all = await states.LoadAsync(config, shards: null, cancellationToken);
        return config.Feeds.Select(f => (f.Id, all.Get(f.Id)?.Site)).Where(f => f.Site is not null).ToDictionary(f => f.Id, f => f.Site!, StringComparer.Ordinal);
    }

    /// <summary>How each configured feed is doing, from the feed state alone (what /feeds and the editors' page show).</summary>
    public async Task<IReadOnlyList<FeedStatus>> FeedsAsync(SyndicationConfig config, CancellationToken cancellationToken)
    {
        await containers.EnsureCreatedAsync(cancellationToken);
        var all = await states.LoadAsync(config, shards: null, cancellationToken);
        return [.. config.Feeds.Select(feed => Status(feed, all.Get(feed.Id)))];

        static FeedStatus Status(FeedDefinition feed, FeedState? state) =>
            new(feed.Id, feed.Url.ToString(), state?.LastSuccessAt, state?.LastErrorAt, state?.LastError, state?.ConsecutiveFailures ?? 0, state?.ArticlesStored ?? 0)
            {
                NextDueAt = state?.NextDueAt, ETag = state?.ETag ?? state?.LastModified, Broken = state?.Broken ?? false, MovedTo = state?.MovedTo,
            };
    }

    public async Task<StatusReport> ReadAsync(SyndicationConfig config, CancellationToken cancellationToken)
    {
        var feeds = await FeedsAsync(config, cancellationToken);

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
        var people = config.Subscriptions == SubscriptionMode.Off ? null
            : SubscriberCounts.Of(config.Subscriptions, await subscribers.IndexAsync(cancellationToken),
                config.Subscriptions == SubscriptionMode.Invite ? await invites.CountOpenAsync(cancellationToken) : 0, time.GetUtcNow());
        return new StatusReport(feeds, channels) { Quarantined = quarantined, Poisoned = poison.Messages, PoisonedCount = poison.Count, Subscribers = people };
    }

    static async Task<int> CountAsync(Azure.Storage.Blobs.BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken)) count++;
        return count;
    }
}
