using Syndication.Delivery;
using Syndication.Sweeps;

namespace Syndication.Cli;

/// <summary>
/// Prints a sweep for a person on stdout: the messages of a dry run, channels that need fixing, and the one-line summary.
/// Failed feeds and sends are not repeated here: the log (stderr) has each once, as it happened.
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
        // Each failed feed or send was logged (stderr) when it happened, with its reason; here only what needs a person.
        foreach (var (channel, reason) in report.FailingChannels)
            output.WriteLine($"Channel {channel} cannot receive alerts: {reason}. Its alerts were moved to dead letters; fix the channel's chat or the bot's rights.");
        output.WriteLine(report.Summary);
    }
}
