using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Storage;

namespace Syndication.Sweeps;

/// <summary>
/// One queue message's work, the same for the Functions queue triggers and the in-process consumer: a feed batch is
/// worked, a channel wake-up drains its channel. A message that cannot be read, or failed its last attempt, is set aside
/// in the poison queue with its reason (which <c>status</c> shows) instead of being retried for ever.
/// </summary>
public sealed partial class QueueWork(
    SweepConfigs configSource, WorkQueues queues, FeedBatchWorker feeds, Dispatcher dispatcher, ChannelHealth health, SubscriberUpkeep subscribers, TimeProvider time,
    ILogger<QueueWork> logger)
{
    /// <summary>
    /// Times a wake-up finding its channel busy is queued again, 5 s later each time: for a minute, by when DeliverPending
    /// wakes every channel with alerts waiting anyway.
    /// </summary>
    public const int MaxWakeRetries = 12;

    static readonly TimeSpan BusyRetryDelay = TimeSpan.FromSeconds(5);

    /// <param name="dequeueCount">The attempt this is (1 the first time): the last allowed attempt sets a failing message aside.</param>
    /// <param name="config">The configuration, when the caller has it; else it is loaded (cached per version).</param>
    public async Task<IReadOnlyList<FeedOutcome>> FeedBatchAsync(string message, long dequeueCount, SyndicationConfig? config, CancellationToken cancellationToken)
    {
        return await WithPoisonAsync(queues.Feeds, message, dequeueCount, async () =>
        {
            var batch = WorkMessages.Read<FeedBatch>(queues.Feeds.Name, message);
            config ??= await configSource.LoadActiveAsync(null, cancellationToken);
            return await feeds.WorkAsync(batch, config, cancellationToken);
        }, [], cancellationToken);
    }

    /// <summary>Drains the channel a wake-up names; a channel another instance holds is looked at again shortly.</summary>
    public async Task<IReadOnlyList<DeliveryOutcome>> ChannelWakeAsync(string message, long dequeueCount, SyndicationConfig? config, CancellationToken cancellationToken)
    {
        return await WithPoisonAsync(queues.Deliveries, message, dequeueCount, async () =>
        {
            var wake = WorkMessages.Read<ChannelWake>(queues.Deliveries.Name, message);
            config ??= await configSource.LoadActiveAsync(null, cancellationToken);
            if (await dispatcher.DeliverChannelAsync(wake.ChannelId, config, cancellationToken) is not { } outcomes)
            {
                // Its holder re-reads the channel between passes; one more look after it may be done costs one message.
                if (wake.Retries < MaxWakeRetries)
                    await queues.WakeAsync(WorkMessages.Write(wake with { Retries = wake.Retries + 1 }), cancellationToken, BusyRetryDelay);
                return [];
            }
            // A person who blocked the bot is unsubscribed; the editors hear only about their own channels.
            await subscribers.AfterDeliveryAsync(outcomes, cancellationToken);
            await health.UpdateAsync(config, SubscriberUpkeep.ChannelsOnly(outcomes), cancellationToken);
            return outcomes;
        }, [], cancellationToken);
    }

    async Task<T> WithPoisonAsync<T>(QueueClient queue, string message, long dequeueCount, Func<Task<T>> work, T nothing, CancellationToken cancellationToken)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (MessageFailure.SetAsideFor(ex, dequeueCount) is { } reason)
        {
            await SetAsideAsync(queue, message, reason, dequeueCount, cancellationToken);
            return nothing;
        }
    }

    async Task SetAsideAsync(QueueClient queue, string message, string reason, long attempts, CancellationToken cancellationToken)
    {
        var poison = new PoisonMessage(queue.Name, message, reason, attempts, time.GetUtcNow());
        // Kept for a week (the longest a poison message is useful), read by `status`.
        await queues.PoisonOf(queue).SendMessageAsync(WorkMessages.Write(poison), timeToLive: TimeSpan.FromDays(7), cancellationToken: cancellationToken);
        LogPoisoned(queue.Name, attempts, reason, queues.PoisonOf(queue).Name);
    }

    /// <summary>The poison queues' messages, newest last, up to 32 per queue (what Peek returns), and how many there are.</summary>
    public async Task<(IReadOnlyList<PoisonMessage> Messages, int Count)> ReadPoisonAsync(CancellationToken cancellationToken)
    {
        var messages = new List<PoisonMessage>();
        var count = 0;
        foreach (var queue in new[] { queues.PoisonOf(queues.Feeds), queues.PoisonOf(queues.Deliveries) })
        {
            try
            {
                count += (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
                foreach (var peeked in (await queue.PeekMessagesAsync(32, cancellationToken)).Value)
                {
                    try
                    {
                        messages.Add(WorkMessages.Read<PoisonMessage>(queue.Name, peeked.Body.ToString()));
                    }
                    catch (UnreadableMessageException ex)
                    {
                        messages.Add(new PoisonMessage(queue.Name, peeked.Body.ToString(), ex.Message, peeked.DequeueCount, peeked.InsertedOn ?? DateTimeOffset.MinValue));
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
        return (messages, count);
    }

    [LoggerMessage(LogLevel.Error, "A message on queue {Queue} failed {Attempts} times and was set aside in {Poison}: {Reason}")]
    partial void LogPoisoned(string queue, long attempts, string reason, string poison);
}
