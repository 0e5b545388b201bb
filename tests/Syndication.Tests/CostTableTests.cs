using System.Globalization;
using System.Text.RegularExpressions;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The README's monthly costs are worked out from the measured figures that docs/performance.md gives ("What a month
/// costs"), by the arithmetic stated there: change a measured input or a price, and the table must change with it.
/// </summary>
public sealed partial class CostTableTests
{
    const double Cycles = 8_640; // every 5 minutes for 30 days
    const double WriteOrList = 0.065 / 10_000, ReadOrOther = 0.005 / 10_000, QueueOperation = 0.004 / 10_000;
    const double GbSecond = 0.000026, Execution = 0.40 / 1_000_000, Gb = 2; // 2,048 MB instances

    // Measured: an unchanged cycle took 1.03 times its floor (latency over 16 in flight), taken at 300 ms an answer;
    // a new story adds 30 ms of the app's CPU and its send (0.2 s); and, per new story alerting one channel, these requests.
    const double PerFeedSeconds = 0.3 / 16 * 1.03, PerStorySeconds = 0.030 + 0.2;
    const double StoryWritesAndLists = 4.23 + 0.82, StoryReadsAndOther = 2.10 + 2.89, StoryQueue = 2.32, WakesPerStory = 0.1;

    /// <summary>Blob, queue and Flex dollars a month, for feeds cut into <paramref name="batches"/> batches of <paramref name="shards"/> shards.</summary>
    static (double Blob, double Queue, double Flex) Month(int feeds, int batches, int shards, bool changing)
    {
        var blob = ((shards + batches + 6) * ReadOrOther + (6 + shards / 12.0) * WriteOrList) * Cycles;
        var queue = (3.0 * batches + 61) * QueueOperation * Cycles;
        var seconds = feeds * PerFeedSeconds;
        var executions = (1.0 + batches + 5) * Cycles;
        if (changing)
        {
            var stories = 0.1 * feeds * Cycles;
            blob += stories * (StoryWritesAndLists * WriteOrList + StoryReadsAndOther * ReadOrOther);
            queue += stories * StoryQueue * QueueOperation;
            seconds += 0.1 * feeds * PerStorySeconds;
            executions += stories * WakesPerStory;
        }
        return (blob, queue, seconds * Gb * Cycles * GbSecond + executions * Execution);
    }

    [Theory]
    [InlineData("1,000, idle (every answer 304)", 1_000, 8, 32, false)]
    [InlineData("1,000, 10% with a new story each cycle", 1_000, 8, 32, true)]
    [InlineData("10,000, idle", 10_000, 32, 32, false)]
    [InlineData("10,000, 10% changing", 10_000, 32, 32, true)]
    [InlineData("100,000, idle", 100_000, 400, 1_000, false)]
    [InlineData("100,000, 10% changing", 100_000, 400, 1_000, true)]
    public void The_readmes_cost_table_is_the_documented_arithmetic_on_the_measured_figures(string row, int feeds, int batches, int shards, bool changing)
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var line = readme.Split('\n').Single(l => l.StartsWith($"| {row} |", StringComparison.Ordinal));
        var dollars = Dollars().Matches(line).Select(m => double.Parse(m.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture)).ToList();
        var (blob, queue, flex) = Month(feeds, batches, shards, changing);

        Assert.Equal([Math.Round(blob, 2), Math.Round(queue, 2), Math.Round(flex, 2), Math.Round(blob + queue + flex, 2)], dollars);
    }

    [Theory]
    [InlineData(1_000, 8)]
    [InlineData(10_000, 32)]
    [InlineData(100_000, 400)]
    public void The_batches_priced_are_the_ones_the_scheduler_cuts(int feeds, int batches)
    {
        // Feeds on as many sites as feeds (the many-sites case); 100,000 with StateShards 1,000, the others with the default 32.
        var sizing = Syndication.Sweeps.BatchSizing.From(new Syndication.Settings.SyndicationOptions());
        Assert.Equal(batches, Math.Min(feeds >= 100_000 ? 1_000 : 32, sizing.Batches(feeds, sites: feeds)));
    }

    [GeneratedRegex(@"\$([\d,]+\.\d\d)")]
    private static partial Regex Dollars();
}
