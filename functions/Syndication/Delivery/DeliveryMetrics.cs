using System.Diagnostics.Metrics;

namespace Syndication.Delivery;

/// <summary>
/// Counters named <c>syndication.*</c>, tagged with the channel, so they reach Application Insights or OpenTelemetry
/// through the standard meter pipeline without code changes.
/// </summary>
public sealed class DeliveryMetrics
{
    public const string MeterName = "Syndication";
    readonly Dictionary<DeliveryStatus, Counter<long>> counters;
    readonly Counter<long> uncertain;

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
    }

    public void RecordUncertain(string channelId) => uncertain.Add(1, new KeyValuePair<string, object?>("channel", channelId));

    public void Record(DeliveryStatus status, string channelId)
    {
        if (counters.TryGetValue(status, out var counter)) counter.Add(1, new KeyValuePair<string, object?>("channel", channelId));
    }
}
