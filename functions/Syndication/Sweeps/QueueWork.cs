using Azure.Storage.Queues.Models;
using Azure.Storage.Queues;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Primitives;
using Syndication.Settings;
using Syndication.Storage;

namespace Syndication.Sweeps;

/// <summary>
/// One queue message's work, the same for the Functions queue triggers and the in-process consumer: a feed batch is
/// worked, a channel wake-up drains its channel. A message that cannot be read, or failed its last attempt, is set aside
/// in the poison queue with its reason (which <c>status</c> shows) instead of being retried for ever.
/// </summary>
public sealed partial class QueueWork(
    ConfigSource configSource, WorkQueues queues, FeedBatchWorker feeds, Dispatcher dispatcher, ChannelHealth health, TimeProvider time, ILogger<QueueWork> logger)
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
            return await feeds.WorkAsync(batch, config, dryRun: false, planned: null, cancellationToken);
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
            await health.UpdateAsync(config, outcomes, cancellationToken);
            return outcomes;
        }, [], cancellationToken);
    }

    async Task<T> WithPoisonAsync<T>(QueueClient queue, string message, long dequeueCount, Func<Task<T>> work, T nothing, CancellationToken cancellationToken)
    {
        try
        {
            return await work();
        }
        catch (UnreadableMessageException ex)
        {
            await SetAsideAsync(queue, message, ex.Message, dequeueCount, cancellationToken);
            return nothing;
        }
        catch (Exception ex) when (dequeueCount >= WorkQueues.MaxDequeueCount && ex is not OperationCanceledException)
        {
            await SetAsideAsync(queue, message, $"{ex.GetType().Name}: {ex.FirstLine()}", dequeueCount, cancellationToken);
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

/// <summary>
/// Works the queues in this process, as Functions instances do in Azure: feed batches a few at a time, channel wake-ups as
/// they come. <c>run</c> works until both queues are empty; <c>work --for</c> keeps consuming for a while, so several
/// processes on one machine share the work as several instances would.
/// </summary>
public sealed partial class QueueRunner(WorkQueues queues, QueueWork work, Dispatcher dispatcher, IOptions<SyndicationOptions> options, ILogger<QueueRunner> logger)
{
    /// <summary>Feed batches one process works at once; their feeds share the process's <see cref="FeedSlots"/>.</summary>
    public const int BatchesAtOnce = 4;

    /// <summary>How long a message stays hidden from other consumers while this one works it (a batch ends well inside it).</summary>
    TimeSpan Hidden => TimeSpan.FromSeconds(options.Value.QueueVisibilitySeconds);

    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public sealed record Result(IReadOnlyList<FeedOutcome> Feeds, IReadOnlyList<DeliveryOutcome> Deliveries);

    /// <summary>What one message's work is, for a host that receives messages itself (the Functions queue triggers).</summary>
    public QueueWork Work => work;

    /// <param name="config">The configuration every message is worked with; null loads it per message, as an instance does.</param>
    /// <param name="workFor">Keep consuming this long, by the wall clock; null stops as soon as both queues are empty and nothing is in flight.</param>
    public async Task<Result> WorkAsync(SyndicationConfig? config, TimeSpan? workFor, CancellationToken cancellationToken)
    {
        var outcomes = new List<FeedOutcome>();
        var deliveries = new Dictionary<string, DeliveryOutcome>(StringComparer.Ordinal);
        var failures = new List<Exception>();
        var gate = new Lock();
        var feedsDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        bool Stop(bool idle) => workFor is { } span ? System.Diagnostics.Stopwatch.GetElapsedTime(started) >= span : idle;

        bool Failed()
        {
            lock (gate) return failures.Count > 0;
        }

        async Task FeedLoopAsync()
        {
            var running = new List<Task>();
            try
            {
                while (true)
                {
                    running.RemoveAll(t => t.IsCompleted);
                    // After a failure this process takes nothing more, as an instance that crashed would not.
                    if (Failed()) break;
                    var room = BatchesAtOnce - running.Count;
                    var received = room > 0 ? (await queues.Feeds.ReceiveMessagesAsync(room, Hidden, cancellationToken)).Value : [];
                    foreach (var message in received)
                        running.Add(Task.Run(async () =>
                        {
                            var done = await FeedMessageAsync(message, config, failures, gate, cancellationToken);
                            lock (gate) outcomes.AddRange(done);
                        }, cancellationToken));
                    if (received.Length > 0) continue;
                    if (running.Count > 0) { await Task.WhenAny(running.Append(Task.Delay(Poll, cancellationToken))); continue; }
                    if (Stop(idle: true)) break;
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
            }
            finally
            {
                await Task.WhenAll(running);
                feedsDone.TrySetResult();
            }
        }

        async Task DeliveryLoopAsync()
        {
            var running = new List<Task>();
            try
            {
                while (true)
                {
                    running.RemoveAll(t => t.IsCompleted);
                    if (Failed()) break;
                    queues.ClearWoken();
                    var received = (await queues.Deliveries.ReceiveMessagesAsync(32, Hidden, cancellationToken)).Value;
                    foreach (var message in received)
                        running.Add(Task.Run(async () =>
                        {
                            try
                            {
                                var drained = await work.ChannelWakeAsync(message.Body.ToString(), message.DequeueCount, config, cancellationToken);
                                await queues.Deliveries.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                                lock (gate) Merge(deliveries, drained);
                            }
                            catch (Exception ex)
                            {
                                await ReleaseAsync(queues.Deliveries, message);
                                lock (gate) failures.Add(ex);
                            }
                        }, cancellationToken));
                    if (received.Length > 0) continue;
                    var idle = feedsDone.Task.IsCompleted && running.All(t => t.IsCompleted);
                    if (idle && Stop(idle: true)) break;
                    // Woken at once by a wake-up queued in this process, by the feeds ending, or a drain ending; else polled.
                    var wakers = running.Append(queues.WokenAsync(cancellationToken)).Append(Task.Delay(Poll, cancellationToken));
                    await Task.WhenAny(feedsDone.Task.IsCompleted ? wakers : wakers.Append(feedsDone.Task));
                }
            }
            finally
            {
                await Task.WhenAll(running);
            }
        }

        await Task.WhenAll(FeedLoopAsync(), DeliveryLoopAsync());
        // The first failure stands for the run (one refused token fails every channel alike); the others were logged.
        lock (gate) if (failures.Count > 0) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        // An alert queued for a channel just as another drain of it ended, and whose wake-up found the channel busy, is
        // picked up here. With no drain at all, nothing was queued, and that stands.
        if (config is not null && deliveries.Count > 0) Merge(deliveries, await dispatcher.DrainAsync(config, dryRun: false, cancellationToken));
        return new Result(outcomes, [.. deliveries.Values]);
    }

    async Task<IReadOnlyList<FeedOutcome>> FeedMessageAsync(QueueMessage message, SyndicationConfig? config, List<Exception> failures, Lock gate, CancellationToken cancellationToken)
    {
        try
        {
            var outcomes = await work.FeedBatchAsync(message.Body.ToString(), message.DequeueCount, config, cancellationToken);
            await queues.Feeds.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            return outcomes;
        }
        catch (Exception ex)
        {
            await ReleaseAsync(queues.Feeds, message);
            LogBatchFailed(message.DequeueCount, ex.FirstLine());
            lock (gate) failures.Add(ex);
            return [];
        }
    }

    /// <summary>As the Functions host does with a failed invocation: the message is visible again at once, for the next attempt.</summary>
    static async Task ReleaseAsync(QueueClient queue, QueueMessage message)
    {
        try
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException)
        {
        }
    }

    /// <summary>
    /// The latest attempt on each alert stands (waiting in one drain, sent in the next, is sent); merely waiting again
    /// does not hide an earlier attempt's failure, and a later pass finding it already sent does not hide how it was sent.
    /// </summary>
    internal static void Merge(Dictionary<string, DeliveryOutcome> outcomes, IEnumerable<DeliveryOutcome> drained)
    {
        foreach (var outcome in drained)
        {
            var key = $"{outcome.ChannelId}\u001f{outcome.EntryName}";
            if (outcome.Status is not (DeliveryStatus.Waiting or DeliveryStatus.Deferred or DeliveryStatus.Held or DeliveryStatus.Collected or DeliveryStatus.AlreadySent) || !outcomes.ContainsKey(key)) outcomes[key] = outcome;
        }
    }

    [LoggerMessage(LogLevel.Warning, "A feed batch failed on attempt {Attempt} and is queued again: {Reason}")]
    partial void LogBatchFailed(long attempt, string reason);
}
