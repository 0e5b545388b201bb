using BenchmarkDotNet.Attributes;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Sweeps;

namespace Syndication.Benchmarks;

/// <summary>
/// The scheduler's own work per cycle, apart from its one listing of the shards' metadata: which shards are due, packed
/// into batches. It reads no feed state, so it grows with the number of feeds only by a hash of each feed's site.
/// </summary>
[MemoryDiagnoser]
public class SchedulePlan
{
    [Params(1_000, 100_000)]
    public int Feeds;

    SyndicationConfig config = null!;
    Dictionary<int, ShardSummary> shards = null!;
    readonly DateTimeOffset now = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);

    [GlobalSetup]
    public void Setup()
    {
        // 100 feeds a site, as a newsroom's sections are; every shard written, half of them with every feed waiting.
        config = new SyndicationConfig([.. Enumerable.Range(0, Feeds).Select(i => new FeedDefinition($"feed-{i}", new Uri($"https://site{i / 100}.example/feed/{i}.xml"), 5, null))], [], []);
        shards = config.Feeds.GroupBy(f => FeedShards.Of(f, 32)).ToDictionary(
            g => g.Key,
            g => new ShardSummary(g.Key, g.Key % 2 == 0 ? now.AddMinutes(10) : null, FeedStateStore.FeedSetHash(g.Select(f => f.Id))));
    }

    [Benchmark]
    public int Plan() => Scheduler.Plan(config, shards, 32, new BatchSizing(250, 2, 8), now).Count;
}
