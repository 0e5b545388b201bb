using Syndication.Delivery;
using Syndication.Sweeps;

namespace Syndication.Cli;

/// <summary>
/// Prints a sweep for a person on stdout: the messages of a dry run, each failed feed and each channel that needs fixing
/// with its reason on one line, and the one-line summary. The log (stderr) has the same failures as they happened.
/// </summary>
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
            output.WriteLine($"Feed {feed.FeedId} failed: {feed.Error}");
        foreach (var (channel, reason) in report.FailingChannels)
            output.WriteLine($"Channel {channel} cannot receive alerts: {reason}. Its alerts were moved to dead letters; fix the channel's chat or the bot's rights.");
        output.WriteLine(report.Summary);
    }
}
