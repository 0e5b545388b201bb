using Syndication.Delivery;
using Syndication.Sweeps;

namespace Syndication.Cli;

/// <summary>Prints a sweep for a person: failed feeds and deliveries, the messages of a dry run, and a one-line summary.</summary>
public static class ReportPrinter
{
    public static void Print(SweepReport report, TextWriter output)
    {
        foreach (var delivery in report.Deliveries.Where(d => d.Status == DeliveryStatus.DryRun))
        {
            output.WriteLine($"--- would send to {delivery.ChannelId} ({delivery.Chat}) ---");
            output.WriteLine(delivery.Html);
            output.WriteLine();
        }
        foreach (var feed in report.Feeds.Where(f => !f.Succeeded))
            output.WriteLine($"Feed {feed.FeedId} failed ({feed.Url}): {feed.Error}");
        foreach (var delivery in report.Deliveries.Where(d => d.Status == DeliveryStatus.Retrying))
            output.WriteLine($"Alert to {delivery.ChannelId} ({delivery.Chat}) failed and will be retried: {delivery.Error}");
        foreach (var (channel, reason) in report.FailingChannels)
            output.WriteLine($"Channel {channel} cannot receive alerts: {reason}. Its alerts were moved to dead letters; fix the channel's chat or the bot's rights.");
        foreach (var delivery in report.Deliveries.Where(d => d.Status == DeliveryStatus.Rejected && !d.ChatUnusable))
            output.WriteLine($"Telegram refused an alert to {delivery.ChannelId} for good, moved to dead letters: {delivery.Error}");
        output.WriteLine(report.Summary);
    }
}
