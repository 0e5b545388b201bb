using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Primitives;
using Syndication.Settings;
using Syndication.Storage;

namespace Syndication.Sweeps;

/// <summary>
/// Works the queues in this process, as Functions instances do in Azure: feed batches a few at a time, channel wake-ups as
/// they come. <c>run</c> works until both queues are empty; <c>work --for</c> keeps consuming for a while, so several
/// processes on one machine share the work as several instances would.
/// </summary>
public sealed partial class QueueRunner(WorkQueues queues, QueueWork work, Dispatcher dispatcher, IOptions<SyndicationOptions> options, ILogger<QueueRunner> logger)
{
    /// <summary>
    /// Feed batches one instance takes from the queue at a time, and how few it must be working before it takes more: the
    /// Functions host's <c>batchSize</c> and <c>newBatchThreshold</c> in <c>host.json</c>, which a consumer here follows too.
    /// </summary>
    public const int HostBatchSize = 2, HostNewBatchThreshold = 2;

    /// <summary>
    /// The most feed batches one instance works at once (their feeds share its <see cref="FeedSlots"/>). Kept small so that
    /// a short cycle's batches spread over instances instead of all going to the first that polls; the scheduler cuts
    /// batches so that this many fill an instance's slots (<see cref="BatchSizing"/>).
    /// </summary>
    public const int BatchesPerInstance = HostBatchSize + HostNewBatchThreshold;

    /// <summary>How long a message stays hidden from other consumers while this one works it (a batch ends well inside it).</summary>
    TimeSpan Hidden => TimeSpan.FromSeconds(options.Value.QueueVisibilitySeconds);

    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public sealed record Result(IReadOnlyList<FeedOutcome> Feeds, IReadOnlyList<DeliveryOutcome> Deliveries);

    /// <summary>What one message's work is, for a host that receives messages itself (the Functions queue triggers).</summary>
    public QueueWork Work => work;

    /// <param name="config">The configuration every message is worked with; null loads it per message, as an instance does.</param>
    /// <param name="workFor">Keep consuming this long, by the wall clock; null stops as soon as both queues are empty and nothing is in flight.</param>
    /// <param name="alone">
    /// This process is the only consumer (<c>run</c>): it takes every batch it has feed slots for. Otherwise it is one
    /// instance among several (<c>work</c>, or a Functions instance), and takes batches as the host would.
    /// </param>
    public async Task<Result> WorkAsync(SyndicationConfig? config, TimeSpan? workFor, bool alone, CancellationToken cancellationToken)
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
                    var room = alone ? Math.Min(32, options.Value.MaxConcurrentFeeds - running.Count)
                        : running.Count <= HostNewBatchThreshold ? HostBatchSize : 0;
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
        if (config is not null && deliveries.Count > 0) Merge(deliveries, await dispatcher.DrainAsync(config, cancellationToken));
        return new Result(outcomes, [.. deliveries.Values]);
    }

    async Task<IReadOnlyList<FeedOutcome>> FeedMessageAsync(QueueMessage message, SyndicationConfig? config, List<Exception> failures, Lock gate, CancellationToken cancellationToken)
    {
        try
        {
            var outcomes = await work.FeedBatchAsync(message.Body.ToString(), message.DequeueCount, config, cancellationToken);
            await queues.Feeds.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            LogBatchWorked(outcomes.Count, outcomes.Count(o => !o.Succeeded));
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

    [LoggerMessage(LogLevel.Information, "Worked a feed batch here: {Feeds} feeds, {Failed} failed")]
    partial void LogBatchWorked(int feeds, int failed);

    [LoggerMessage(LogLevel.Warning, "A feed batch failed on attempt {Attempt} and is queued again: {Reason}")]
    partial void LogBatchFailed(long attempt, string reason);
}
