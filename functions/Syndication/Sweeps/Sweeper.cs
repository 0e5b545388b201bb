using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Hosting;
using Syndication.Rules;
using Syndication.Storage;
using Syndication.Telegram;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Sweeps;

/// <summary>
/// One sweep: load and validate the configuration, run every feed's unit of work, then drain the outbox.
/// An invalid configuration throws <see cref="ConfigException"/> before anything is fetched or sent.
/// </summary>
public sealed partial class Sweeper(
    ConfigSource configSource,
    StorageContainers containers,
    FeedProcessor processor,
    Dispatcher dispatcher,
    ChannelHealth health,
    EditorAlerts editors,
    BlobLeases leases,
    FeedStateStore stateStore,
    StorageRequests storageRequests,
    TelegramNotifier telegram,
    SweepMetrics metrics,
    TimeProvider time,
    IOptions<SyndicationOptions> options,
    ILogger<Sweeper> logger)
{
    /// <param name="configPath">A local config file; null means <c>Syndication__ConfigPath</c>, else the config blob.</param>
    /// <param name="dryRun">A rehearsal: fetch, parse and match, write nothing, send nothing, and report what a real run would send now.</param>
    public async Task<SweepReport> RunAsync(string? configPath, bool dryRun, CancellationToken cancellationToken)
    {
        if (!dryRun) telegram.EnsureConfigured();
        var before = storageRequests.Snapshot;
        var config = await configSource.LoadAsync(configPath, cancellationToken);
        await containers.EnsureCreatedAsync(cancellationToken);
        // A dry run writes nothing, not even a lease: it only reads, so it can run beside a real sweep.
        await using var held = dryRun ? null : await leases.TryAcquireAsync(BlobLeases.Sweep, cancellationToken);
        if (!dryRun && held is null)
        {
            LogBusy();
            return SweepReport.Skipped(dryRun);
        }
        using var run = held is null ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        try
        {
            return await SweepAsync(config, dryRun, before, run.Token);
        }
        catch (OperationCanceledException) when (held?.IsLost == true && !cancellationToken.IsCancellationRequested)
        {
            // Another run holds the sweep now and carries on; what this one did is idempotent and safe to repeat.
            var stopped = SweepReport.Skipped(dryRun) with { LostLease = true, Storage = storageRequests.Snapshot - before };
            LogSummary(stopped.Summary);
            return stopped;
        }
    }

    async Task<SweepReport> SweepAsync(SyndicationConfig config, bool dryRun, StorageRequestCounts before, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var matcher = RuleMatcher.For(config);

        var states = await stateStore.LoadAsync(cancellationToken);
        var outcomes = new FeedOutcome[config.Feeds.Count];
        var planned = dryRun ? new ConcurrentQueue<OutboxEntry>() : null;
        // Alerts go out while other feeds are still being read, so a slow feed delays nobody else's news.
        var pump = dryRun ? null : new DeliveryPump(dispatcher, config, cancellationToken);
        var deadline = Stopwatch.StartNew();
        var read = false; // every feed's work ended normally
        var settings = options.Value;
        try
        {
            // The feed that has waited longest goes first, so a deadline never leaves the same feeds behind every time.
            var order = Enumerable.Range(0, config.Feeds.Count)
                .OrderBy(i => states.Get(config.Feeds[i].Id) is { } state ? Max(state.LastSuccessAt, state.LastErrorAt) : null);
            await Parallel.ForEachAsync(
                order,
                new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentFeeds, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var feed = config.Feeds[i];
                    if (deadline.Elapsed > TimeSpan.FromSeconds(settings.SweepDeadlineSeconds))
                    {
                        outcomes[i] = new FeedOutcome(feed.Id, feed.Url.ToString(), 0, 0, 0, null) { Postponed = true, Broken = states.Get(feed.Id)?.Broken ?? false };
                        return;
                    }
                    outcomes[i] = await processor.ProcessAsync(feed, config, matcher, states, dryRun, planned, ct);
                    if (outcomes[i].Enqueued > 0) pump?.Poke();
                });
            read = true;
        }
        finally
        {
            // One write for every feed's state, and none when nothing changed; kept even when the sweep was cut short.
            if (!dryRun) await stateStore.SaveAsync(states, CancellationToken.None);
            if (pump is not null && !read) await pump.AbandonAsync();
        }
        var postponed = outcomes.Count(o => o.Postponed);
        if (postponed > 0) LogPostponed(settings.SweepDeadlineSeconds, postponed);

        if (!dryRun) await editors.SendAsync(config, FeedHealthChanges(outcomes), cancellationToken);
        var deliveries = pump is null
            ? await dispatcher.DrainAsync(config, dryRun, cancellationToken, [.. planned!])
            : await pump.FinishAsync();
        if (!dryRun) await health.UpdateAsync(config, deliveries, cancellationToken);
        var report = new SweepReport(outcomes, deliveries, dryRun) { Storage = storageRequests.Snapshot - before };
        var elapsed = time.GetElapsedTime(started);
        metrics.Record(report, elapsed);
        LogSweepDone(report.Summary, Math.Round(elapsed.TotalSeconds, 3), report.FeedsFetched, report.FeedsUnchanged, report.FeedsFailed,
            report.AlertsQueued, report.Count(DeliveryStatus.Sent), report.Count(DeliveryStatus.DeadLettered));
        return report;
    }

    static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a > b || b is null ? a : b;

    /// <summary>One message to the editors per feed that broke or recovered in this sweep.</summary>
    static IEnumerable<string> FeedHealthChanges(IEnumerable<FeedOutcome> outcomes) => outcomes
        .Where(f => f.BrokeNow || f.Recovered)
        .Select(f => f.BrokeNow
            ? $"⚠️ Feed <b>{HtmlText.Escape(f.FeedId)}</b> is broken: {HtmlText.Escape(f.Error ?? "")}. It is still retried, with backoff up to a day; check its address ({HtmlText.Escape(f.Url)})."
            : $"✅ Feed <b>{HtmlText.Escape(f.FeedId)}</b> works again.");

    /// <summary>
    /// Drains the outbox without fetching: alerts waiting after an outage or flood control go out between sweeps. It takes no
    /// sweep lease, only each channel's, so it never stops a sweep from fetching and a sweep never stops it.
    /// </summary>
    public async Task<SweepReport> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        telegram.EnsureConfigured();
        var before = storageRequests.Snapshot;
        var config = await configSource.LoadAsync(null, cancellationToken);
        await containers.EnsureCreatedAsync(cancellationToken);
        var deliveries = await dispatcher.DrainAsync(config, dryRun: false, cancellationToken);
        await health.UpdateAsync(config, deliveries, cancellationToken);
        var report = new SweepReport([], deliveries, DryRun: false) { Storage = storageRequests.Snapshot - before };
        if (report.Deliveries.Count > 0) LogSummary(report.Summary);
        return report;
    }

#pragma warning disable SYSLIB1015 // The figures travel as the line's structured properties (custom dimensions in Application Insights); the text is the summary.
    [LoggerMessage(LogLevel.Information, "{Summary}")]
    partial void LogSweepDone(string summary, double durationSeconds, int feedsFetched, int feedsUnchanged, int feedsFailed, int alertsQueued, int alertsSent, int alertsDeadLettered);
#pragma warning restore SYSLIB1015

    [LoggerMessage(LogLevel.Warning, "Another sweep is in progress against this storage account; this run fetches nothing and the next one carries on")]
    partial void LogBusy();

    [LoggerMessage(LogLevel.Warning, "The sweep reached its {Seconds} s deadline (Syndication__SweepDeadlineSeconds); {Count} feeds were not started and are due in the next sweep")]
    partial void LogPostponed(int seconds, int count);

    [LoggerMessage(LogLevel.Information, "{Summary}")]
    partial void LogSummary(string summary);
}
