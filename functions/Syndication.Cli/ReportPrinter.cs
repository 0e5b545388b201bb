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
        foreach (var delivery in report.Deliveries.Where(d => d.Status == DeliveryStatus.Failed))
            output.WriteLine($"Alert to {delivery.ChannelId} ({delivery.Chat}) failed and stays pending: {delivery.Error}");
        output.WriteLine(report.Summary);
    }
}
