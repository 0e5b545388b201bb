using Microsoft.Azure.Functions.Worker;
using Syndication.Sweeps;

namespace Syndication.Functions;

/// <summary>
/// On the schedule in the app setting <c>PollSchedule</c> (every 5 minutes in the shipped settings), queues the feeds that
/// are due as batches on <c>FeedQueue</c>; <see cref="WorkFeeds"/> works them on as many instances as the queue needs.
/// </summary>
public sealed class PollFeeds(Sweeper sweeper)
{
    [Function(nameof(PollFeeds))]
    public Task RunAsync([TimerTrigger("%PollSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        HostCancellation.RunAsync(() => sweeper.ScheduleAsync(cancellationToken), cancellationToken);
}

/// <summary>One batch of due feeds: fetch, parse, store, match, queue alerts, and wake the channels that got them.</summary>
public sealed class WorkFeeds(Sweeper sweeper)
{
    [Function(nameof(WorkFeeds))]
    public Task RunAsync([QueueTrigger("%FeedQueue%", Connection = "ArticleStorage")] string message, long dequeueCount, CancellationToken cancellationToken) =>
        HostCancellation.RunAsync(() => sweeper.WorkFeedBatchAsync(message, dequeueCount, cancellationToken), cancellationToken);
}

/// <summary>Drains the channel a wake-up names; one instance per channel at a time (its lease), channels side by side.</summary>
public sealed class DeliverChannel(Sweeper sweeper)
{
    [Function(nameof(DeliverChannel))]
    public Task RunAsync([QueueTrigger("%DeliveryQueue%", Connection = "ArticleStorage")] string message, long dequeueCount, CancellationToken cancellationToken) =>
        HostCancellation.RunAsync(() => sweeper.DeliverChannelAsync(message, dequeueCount, cancellationToken), cancellationToken);
}

/// <summary>
/// On the schedule in <c>DeliverSchedule</c> (every minute in the shipped settings), wakes every channel with alerts
/// waiting, so alerts held back by an outage or by flood control go out without waiting for the next sweep.
/// </summary>
public sealed class DeliverPending(Sweeper sweeper)
{
    [Function(nameof(DeliverPending))]
    public Task RunAsync([TimerTrigger("%DeliverSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        HostCancellation.RunAsync(() => sweeper.WakeWaitingChannelsAsync(cancellationToken), cancellationToken);
}
