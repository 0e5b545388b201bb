using System.Diagnostics.Metrics;

namespace Syndication.Delivery;

/// <summary>
/// Instruments named <c>syndication.alerts.*</c> (counters tagged with the channel) and <c>syndication.outbox.*</c>
/// (gauges set each time the outbox is read), so they reach Application Insights or any OpenTelemetry backend through
/// the standard meter pipeline.
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "Syndication";
    readonly Dictionary<DeliveryStatus, Counter<long>> counters;
    readonly Counter<long> uncertain;
    readonly Gauge<long> depth;
    readonly Gauge<double> oldestAge;

    public DeliveryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        counters = new()
        {
            [DeliveryStatus.Sent] = meter.CreateCounter<long>("syndication.alerts.sent", description: "Alerts Telegram accepted."),
            [DeliveryStatus.Retrying] = meter.CreateCounter<long>("syndication.alerts.retried", description: "Sends that failed transiently and will be retried."),
            [DeliveryStatus.Deferred] = meter.CreateCounter<long>("syndication.alerts.deferred", description: "Alerts held back by Telegram flood control (429)."),
            [DeliveryStatus.Rejected] = meter.CreateCounter<long>("syndication.alerts.failed", description: "Alerts Telegram refused for good (chat gone, message rejected)."),
            [DeliveryStatus.DeadLettered] = meter.CreateCounter<long>("syndication.alerts.dead_lettered", description: "Alerts given up on after retrying for the configured time."),
        };
        uncertain = meter.CreateCounter<long>("syndication.alerts.uncertain", description: "Sends whose answer was lost: Telegram may have delivered them, and the retry may show them twice.");
        depth = meter.CreateGauge<long>("syndication.outbox.depth", unit: "{alert}", description: "Alerts waiting in the outbox when a run read it.");
        oldestAge = meter.CreateGauge<double>("syndication.outbox.oldest_pending_age", unit: "s", description: "How long the oldest waiting alert has been queued; over 15 minutes, operators are alerted.");
    }

    /// <summary>What waits in the outbox at <paramref name="now"/>: how many alerts, and how long the oldest has waited.</summary>
    public void RecordOutbox(IReadOnlyCollection<WaitingAlert> pending, DateTimeOffset now)
    {
        depth.Record(pending.Count);
        oldestAge.Record(pending.Count == 0 ? 0 : Math.Max(0, (now - pending.Min(e => e.Queued)).TotalSeconds));
    }

    public void RecordUncertain(string channelId) => uncertain.Add(1, new KeyValuePair<string, object?>("channel", channelId));

    public void Record(DeliveryStatus status, string channelId)
    {
        if (counters.TryGetValue(status, out var counter)) counter.Add(1, new KeyValuePair<string, object?>("channel", channelId));
    }
}
