using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Primitives;
using Syndication.Storage;
using Syndication.Telegram;

namespace Syndication.Sweeps;

/// <summary>
/// The entry points. In Azure, the timer only schedules (<see cref="ScheduleAsync"/>) and queue triggers work each batch
/// and channel on whichever instance takes it (<see cref="QueueWork"/>). A local <see cref="RunAsync"/> runs exactly that
/// code: it schedules, then works the queues in this process until they are empty. There is no global lock: batches own
/// their shards and channels have leases. An invalid configuration throws <see cref="ConfigException"/> before anything
/// is fetched or sent.
/// </summary>
public sealed partial class Sweeper(
    SweepConfigs configSource,
    StorageContainers containers,
    WorkQueues queues,
    Scheduler scheduler,
    QueueRunner runner,
    FeedBatchWorker batches,
    FeedStateStore stateStore,
    Dispatcher dispatcher,
    StorageRequests storageRequests,
    TelegramNotifier telegram,
    SweepMetrics metrics,
    TimeProvider time,
    ILogger<Sweeper> logger)
{
    /// <param name="configPath">A local config file; null means <c>Syndication__ConfigPath</c>, else the config blob.</param>
    /// <param name="dryRun">A rehearsal: fetch, parse and match, write nothing, send nothing, and report what a real run would send now.</param>
    public async Task<SweepReport> RunAsync(string? configPath, bool dryRun, CancellationToken cancellationToken)
    {
        if (!dryRun) telegram.EnsureConfigured();
        var before = storageRequests.Snapshot;
        var started = time.GetTimestamp();
        var config = await configSource.LoadActiveAsync(configPath, cancellationToken);
        // A refused token is found before the first story, not at it: a run with nothing to send still says so.
        if (!dryRun) await telegram.VerifyTokenAsync(cancellationToken);
        await containers.EnsureCreatedAsync(cancellationToken);
        SweepReport report;
        if (dryRun)
        {
            // A dry run writes nothing, not even a queue message: it works the same batches in this process.
            var planned = new ConcurrentQueue<OutboxEntry>();
            var plan = await scheduler.PlanAsync(config, cancellationToken);
            var outcomes = await Task.WhenAll(plan.Select(batch => batches.RehearseAsync(batch, config, planned, cancellationToken)));
            var deliveries = await dispatcher.RehearseAsync(config, [.. planned], cancellationToken);
            report = new SweepReport([.. outcomes.SelectMany(o => o), .. await NotDueAsync(config, plan, cancellationToken)], deliveries, DryRun: true);
        }
        else
        {
            // What the two timers queue in Azure, worked here: the due feeds, and the channels with alerts already waiting.
            await queues.EnsureCreatedAsync(cancellationToken);
            await WakeWaitingChannelsAsync(cancellationToken, config);
            var schedule = await scheduler.ScheduleAsync(config, cancellationToken);
            var worked = await runner.WorkAsync(config, workFor: null, alone: true, cancellationToken);
            var notDue = schedule.Backlog > 0 ? [] : await NotDueAsync(config, schedule.Batches, cancellationToken);
            report = new SweepReport([.. worked.Feeds, .. notDue], worked.Deliveries, DryRun: false);
        }
        return Done(report with { Storage = storageRequests.Snapshot - before }, time.GetElapsedTime(started));
    }

    /// <summary>
    /// The feeds in shards the scheduler found not due, for a local run's summary (waiting, broken, moved): their shards are
    /// read here only, never by the scheduler in Azure.
    /// </summary>
    async Task<IReadOnlyList<FeedOutcome>> NotDueAsync(SyndicationConfig config, IReadOnlyList<FeedBatch> scheduled, CancellationToken cancellationToken)
    {
        var queued = scheduled.SelectMany(b => b.Feeds).ToHashSet(StringComparer.Ordinal);
        var waiting = config.Feeds.Where(f => !queued.Contains(f.Id)).ToList();
        if (waiting.Count == 0) return [];
        var states = await stateStore.LoadAsync(config, waiting.Select(f => FeedShards.Of(f, stateStore.ShardCount)), cancellationToken);
        return [.. waiting.Select(f => (Feed: f, State: states.Get(f.Id))).Select(w =>
            new FeedOutcome(w.Feed.Id, w.Feed.Url.ToString(), 0, 0, 0, null) { NotDueUntil = w.State?.NextDueAt ?? time.GetUtcNow(), Broken = w.State?.Broken ?? false, MovedTo = w.State?.MovedTo })];
    }

    /// <summary>The <c>PollFeeds</c> timer: queue this cycle's due feeds for the instances to work.</summary>
    public async Task<Schedule> ScheduleAsync(CancellationToken cancellationToken)
    {
        var config = await configSource.LoadActiveAsync(null, cancellationToken);
        await containers.EnsureCreatedAsync(cancellationToken);
        await queues.EnsureCreatedAsync(cancellationToken);
        return await scheduler.ScheduleAsync(config, cancellationToken);
    }

    /// <summary><c>syndication schedule</c>: what both timers queue, for <c>work</c> processes to do.</summary>
    public async Task<(Schedule Schedule, int Woken)> ScheduleAsync(string? configPath, CancellationToken cancellationToken)
    {
        var config = await configSource.LoadActiveAsync(configPath, cancellationToken);
        await containers.EnsureCreatedAsync(cancellationToken);
        await queues.EnsureCreatedAsync(cancellationToken);
        var woken = await WakeWaitingChannelsAsync(cancellationToken, config);
        return (await scheduler.ScheduleAsync(config, cancellationToken), woken);
    }

    /// <summary>The <c>WorkFeeds</c> queue trigger: one batch, with a summary line like a whole local sweep's.</summary>
    public async Task<SweepReport> WorkFeedBatchAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        var before = storageRequests.Snapshot;
        var started = time.GetTimestamp();
        await containers.EnsureCreatedAsync(cancellationToken);
        await queues.EnsureCreatedAsync(cancellationToken);
        var outcomes = await runner.Work.FeedBatchAsync(message, dequeueCount, config: null, cancellationToken);
        return Done(new SweepReport(outcomes, [], DryRun: false) { Storage = storageRequests.Snapshot - before }, time.GetElapsedTime(started));
    }

    /// <summary>The <c>DeliverChannel</c> queue trigger: drain the channel a wake-up names.</summary>
    public async Task<SweepReport> DeliverChannelAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        telegram.EnsureConfigured();
        var before = storageRequests.Snapshot;
        await containers.EnsureCreatedAsync(cancellationToken);
        await queues.EnsureCreatedAsync(cancellationToken);
        var deliveries = await runner.Work.ChannelWakeAsync(message, dequeueCount, config: null, cancellationToken);
        var report = new SweepReport([], deliveries, DryRun: false) { Storage = storageRequests.Snapshot - before };
        if (report.Deliveries.Count > 0) LogSummary(report.Summary);
        return report;
    }

    /// <summary>
    /// The <c>DeliverPending</c> timer: alerts waiting after an outage or flood control get a wake-up for their channel, so
    /// they go out between sweeps, each channel on whichever instance takes it. Returns the channels woken.
    /// </summary>
    public async Task<int> WakeWaitingChannelsAsync(CancellationToken cancellationToken, SyndicationConfig? config = null)
    {
        await containers.EnsureCreatedAsync(cancellationToken);
        await queues.EnsureCreatedAsync(cancellationToken);
        if (config is null)
        {
            try
            {
                config = await configSource.LoadActiveAsync(null, cancellationToken);
            }
            catch (ConfigException ex)
            {
                // Waking needs the configuration only to leave held channels asleep; the drains report the bad file.
                LogWakeWithoutConfig(ex.FirstLine());
            }
        }
        var now = time.GetUtcNow();
        // A channel whose alerts all wait by its choice (held quiet hours, a digest not yet due) is not woken: its drain would only wait again.
        var channels = (await dispatcher.ListWaitingAsync(cancellationToken, config))
            .Where(w => !w.WaitsAt(now) && config?.WaitsByChoice(w.ChannelId, w.Queued, w.ForDigest, now) != true).Select(w => Watches.Subscriber.WakeFor(w.ChannelId)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var channel in channels)
            await queues.WakeAsync(WorkMessages.Write(new ChannelWake(channel)), cancellationToken);
        return channels.Count;
    }

    /// <summary>Locally, what <c>DeliverPending</c> and the queue triggers do together: wake the waiting channels and drain them here.</summary>
    public async Task<SweepReport> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        telegram.EnsureConfigured();
        var before = storageRequests.Snapshot;
        var config = await configSource.LoadActiveAsync(null, cancellationToken);
        await WakeWaitingChannelsAsync(cancellationToken, config);
        var worked = await runner.WorkAsync(config, workFor: null, alone: true, cancellationToken);
        var report = new SweepReport(worked.Feeds, worked.Deliveries, DryRun: false) { Storage = storageRequests.Snapshot - before };
        if (report.Deliveries.Count > 0) LogSummary(report.Summary);
        return report;
    }

    /// <summary>
    /// <c>syndication work --for</c>: consume both queues in this process until the time is up, loading the live
    /// configuration per message as an instance does.
    /// </summary>
    /// <param name="configPath">A local config file every message is worked with; null loads the live one per message.</param>
    public async Task<SweepReport> WorkAsync(TimeSpan duration, string? configPath, CancellationToken cancellationToken)
    {
        await telegram.VerifyTokenAsync(cancellationToken);
        var before = storageRequests.Snapshot;
        var started = time.GetTimestamp();
        var config = configPath is null ? null : await configSource.LoadActiveAsync(configPath, cancellationToken);
        await containers.EnsureCreatedAsync(cancellationToken);
        await queues.EnsureCreatedAsync(cancellationToken);
        var worked = await runner.WorkAsync(config, duration, alone: false, cancellationToken);
        return Done(new SweepReport(worked.Feeds, worked.Deliveries, DryRun: false) { Storage = storageRequests.Snapshot - before }, time.GetElapsedTime(started));
    }

    SweepReport Done(SweepReport report, TimeSpan elapsed)
    {
        metrics.Record(report, elapsed);
        LogSweepDone(report.Summary, Math.Round(elapsed.TotalSeconds, 3), report.FeedsFetched, report.FeedsUnchanged, report.FeedsFailed,
            report.AlertsQueued, report.Count(DeliveryStatus.Sent), report.Count(DeliveryStatus.DeadLettered));
        return report;
    }

#pragma warning disable SYSLIB1015 // The figures travel as the line's structured properties (custom dimensions in Application Insights); the text is the summary.
    [LoggerMessage(LogLevel.Warning, "Waking every channel with alerts waiting, held quiet hours or not: {Reason}")]
    partial void LogWakeWithoutConfig(string reason);

    [LoggerMessage(LogLevel.Information, "{Summary}")]
    partial void LogSweepDone(string summary, double durationSeconds, int feedsFetched, int feedsUnchanged, int feedsFailed, int alertsQueued, int alertsSent, int alertsDeadLettered);
#pragma warning restore SYSLIB1015

    [LoggerMessage(LogLevel.Information, "{Summary}")]
    partial void LogSummary(string summary);
}
