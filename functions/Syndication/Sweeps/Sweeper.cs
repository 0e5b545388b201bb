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
    SweepLease lease,
    FeedStateStore stateStore,
    StorageRequests storageRequests,
    TelegramNotifier telegram,
    IOptions<SyndicationOptions> options,
    ILogger<Sweeper> logger)
{
    /// <param name="configPath">A local config file; null means <c>Syndication__ConfigPath</c>, else the config blob.</param>
    /// <param name="dryRun">Store and match as usual, but send nothing: pending alerts are returned instead.</param>
    public async Task<SweepReport> RunAsync(string? configPath, bool dryRun, CancellationToken cancellationToken)
    {
        if (!dryRun) telegram.EnsureConfigured();
        var before = storageRequests.Snapshot;
        var config = await configSource.LoadAsync(configPath, cancellationToken);
        await containers.EnsureCreatedAsync(cancellationToken);
        await using var held = await lease.TryAcquireAsync(cancellationToken);
        if (held is null) return SweepReport.Skipped(dryRun);
        var matcher = new RuleMatcher(config);

        var states = await stateStore.LoadAsync(cancellationToken);
        var outcomes = new FeedOutcome[config.Feeds.Count];
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, config.Feeds.Count),
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentFeeds, CancellationToken = cancellationToken },
                async (i, ct) => outcomes[i] = await processor.ProcessAsync(config.Feeds[i], config, matcher, states, ct));
        }
        finally
        {
            // One write for every feed's state, and none when nothing changed; kept even when the sweep was cut short.
            await stateStore.SaveAsync(states, CancellationToken.None);
        }

        if (!dryRun) await editors.SendAsync(config, FeedHealthChanges(outcomes), cancellationToken);
        var deliveries = await dispatcher.DrainAsync(config, dryRun, cancellationToken);
        if (!dryRun) await health.UpdateAsync(config, deliveries, cancellationToken);
        var report = new SweepReport(outcomes, deliveries, dryRun) { Storage = storageRequests.Snapshot - before };
        LogSummary(report.Summary);
        return report;
    }

    /// <summary>One message to the editors per feed that broke or recovered in this sweep.</summary>
    static IEnumerable<string> FeedHealthChanges(IEnumerable<FeedOutcome> outcomes) => outcomes
        .Where(f => f.BrokeNow || f.Recovered)
        .Select(f => f.BrokeNow
            ? $"⚠️ Feed <b>{HtmlText.Escape(f.FeedId)}</b> is broken: {HtmlText.Escape(f.Error ?? "")}. It is still retried, with backoff up to a day; check its address ({HtmlText.Escape(f.Url)})."
            : $"✅ Feed <b>{HtmlText.Escape(f.FeedId)}</b> works again.");

    /// <summary>Drains the outbox without fetching: alerts waiting after an outage or flood control go out between sweeps.</summary>
    public async Task<SweepReport> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        telegram.EnsureConfigured();
        var before = storageRequests.Snapshot;
        var config = await configSource.LoadAsync(null, cancellationToken);
        await containers.EnsureCreatedAsync(cancellationToken);
        await using var held = await lease.TryAcquireAsync(cancellationToken);
        if (held is null) return SweepReport.Skipped(dryRun: false);
        var deliveries = await dispatcher.DrainAsync(config, dryRun: false, cancellationToken);
        await health.UpdateAsync(config, deliveries, cancellationToken);
        var report = new SweepReport([], deliveries, DryRun: false) { Storage = storageRequests.Snapshot - before };
        if (report.Deliveries.Count > 0) LogSummary(report.Summary);
        return report;
    }

    [LoggerMessage(LogLevel.Information, "{Summary}")]
    partial void LogSummary(string summary);
}
