using System.Diagnostics.Metrics;
using Syndication.Delivery;

namespace Syndication.Sweeps;

/// <summary>
/// What each sweep did, as instruments of the <c>Syndication</c> meter: how long it took, how many feeds were fetched,
/// unchanged or failed, and how many alerts it queued. Dry runs are not counted.
/// </summary>
public sealed class SweepMetrics
{
    readonly Histogram<double> duration;
    readonly Counter<long> fetched;
    readonly Counter<long> unchanged;
    readonly Counter<long> failed;
    readonly Counter<long> queued;

    public SweepMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(DeliveryMetrics.MeterName);
        duration = meter.CreateHistogram<double>("syndication.sweep.duration", unit: "s", description: "Time from a sweep's start to its last alert sent or left queued.");
        fetched = meter.CreateCounter<long>("syndication.feeds.fetched", unit: "{feed}", description: "Feeds fetched and read, unchanged ones included.");
        unchanged = meter.CreateCounter<long>("syndication.feeds.unchanged", unit: "{feed}", description: "Feeds that had nothing new (304, or the same items).");
        failed = meter.CreateCounter<long>("syndication.feeds.failed", unit: "{feed}", description: "Feeds that could not be fetched or read.");
        queued = meter.CreateCounter<long>("syndication.alerts.queued", unit: "{alert}", description: "Alerts put in the outbox.");
    }

    public void Record(SweepReport report, TimeSpan elapsed)
    {
        if (report.DryRun) return;
        duration.Record(elapsed.TotalSeconds);
        fetched.Add(report.FeedsFetched);
        unchanged.Add(report.FeedsUnchanged);
        failed.Add(report.FeedsFailed);
        queued.Add(report.AlertsQueued);
    }
}
