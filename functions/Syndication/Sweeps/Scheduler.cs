using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Primitives;
using Syndication.Settings;
using Syndication.Storage;

namespace Syndication.Sweeps;

/// <summary>What one scheduling pass queued, or why it queued nothing.</summary>
public sealed record Schedule(IReadOnlyList<FeedBatch> Batches, int Backlog)
{
    public int Feeds => Batches.Sum(b => b.Feeds.Count);
}

/// <summary>
/// How many batches a cycle is cut into. An instance works <see cref="QueueRunner.BatchesPerInstance"/> batches at once
/// (the host's <c>batchSize</c> plus <c>newBatchThreshold</c>), so a batch needs only enough sites to fill its share of the
/// instance's feed slots, each site taking at most its per-site limit (<see cref="SitesPerBatch"/>). A cycle with the sites
/// for it is cut into up to <see cref="Spread"/> batches, so that a second instance always has work and a small deployment
/// scales out; a bigger cycle into as many as keep each batch near <see cref="FeedsPerBatch"/> feeds, which bounds how long
/// one runs. Fewer batches would leave an instance's slots idle or its neighbour with nothing; more cost storage
/// transactions and buy no speed.
/// </summary>
public sealed record BatchSizing(int FeedsPerBatch, int SitesPerBatch, int Spread)
{
    public static BatchSizing From(SyndicationOptions options) => new(
        options.FeedsPerBatch,
        Math.Max(1, (int)Math.Ceiling(options.MaxConcurrentFeeds / (double)(options.MaxConcurrentPerHost * QueueRunner.BatchesPerInstance))),
        2 * QueueRunner.BatchesPerInstance);

    /// <summary>Batches for this many due feeds on this many sites (never more than the due shards, which the plan sees to).</summary>
    public int Batches(int feeds, int sites) =>
        feeds == 0 ? 0 : Math.Max(1, Math.Max(Ceiling(feeds, FeedsPerBatch), Math.Min(Ceiling(sites, SitesPerBatch), Spread)));

    static int Ceiling(int count, int per) => (int)((count + (long)per - 1) / per);
}

/// <summary>
/// The timer's whole job: find the shards with feeds due (one listing of the state blobs' metadata, no state read) and
/// queue them as batches for any instance to work. While a whole cycle's worth of batches still waits, it queues nothing,
/// so a slow cycle never piles work up; the feeds it would have queued are due in the next one.
/// </summary>
public sealed partial class Scheduler(FeedStateStore stateStore, WorkQueues queues, TimeProvider time, IOptions<SyndicationOptions> options, ILogger<Scheduler> logger)
{
    /// <summary>A batch nobody took within this time is dropped by the queue; the next cycle schedules its feeds again.</summary>
    static readonly TimeSpan BatchLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// The batches for this cycle: every shard with a feed that may be due (no state yet, a feed due at every sweep, a due
    /// time passed, or a feed added since it was written), whole shards, so one site's feeds are always in one batch.
    /// There are as many batches as <paramref name="sizing"/> asks for (never more than the due shards), and the shards are
    /// dealt out heaviest first to the lightest batch, so the batches come out about equal and no instance gets the tail.
    /// </summary>
    public static IReadOnlyList<FeedBatch> Plan(SyndicationConfig config, IReadOnlyDictionary<int, ShardSummary> shards, int shardCount, BatchSizing sizing, DateTimeOffset now)
    {
        var due = new List<(int Shard, List<string> Ids)>();
        var sites = 0;
        foreach (var shard in config.Feeds.GroupBy(f => FeedShards.Of(f, shardCount)).OrderBy(g => g.Key))
        {
            var ids = shard.Select(f => f.Id).ToList();
            if (shards.TryGetValue(shard.Key, out var summary) && summary.DueAt > now && summary.Feeds == FeedStateStore.FeedSetHash(ids)) continue;
            due.Add((shard.Key, ids));
            sites += shard.Select(f => HttpAddresses.Site(f.Url)).Distinct(StringComparer.Ordinal).Count();
        }
        var count = Math.Min(due.Count, sizing.Batches(due.Sum(d => d.Ids.Count), sites));
        var bins = Enumerable.Range(0, count).Select(_ => new List<(int Shard, List<string> Ids)>()).ToArray();
        var lightest = new PriorityQueue<int, (int Feeds, int Bin)>(bins.Select((_, i) => (i, (0, i))));
        // Heaviest first to the lightest batch (ties to the earliest); shards of equal weight keep their order.
        foreach (var shard in due.OrderByDescending(d => d.Ids.Count).ThenBy(d => d.Shard))
        {
            lightest.TryDequeue(out var bin, out var load);
            bins[bin].Add(shard);
            lightest.Enqueue(bin, (load.Feeds + shard.Ids.Count, bin));
        }
        return [.. bins.Select(b => b.OrderBy(s => s.Shard).ToList()).Select(b => new FeedBatch(now, [.. b.Select(s => s.Shard)], [.. b.SelectMany(s => s.Ids)]))];
    }

    /// <summary>The batches due now, without queuing them: what a dry run works in-process.</summary>
    public async Task<IReadOnlyList<FeedBatch>> PlanAsync(SyndicationConfig config, CancellationToken cancellationToken) =>
        Plan(config, await stateStore.ListAsync(cancellationToken), stateStore.ShardCount, BatchSizing.From(options.Value), time.GetUtcNow());

    /// <summary>Queues this cycle's batches; returns them, or the backlog that held them back.</summary>
    public async Task<Schedule> ScheduleAsync(SyndicationConfig config, CancellationToken cancellationToken)
    {
        var batches = await PlanAsync(config, cancellationToken);
        // A whole cycle's worth still waiting means the instances are behind: more would only pile up. A few left (a
        // crashed instance's batch, hidden until its time runs out) hold nothing back; working a shard twice is harmless.
        var backlog = (await queues.Feeds.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        if (backlog > 0 && backlog >= batches.Count)
        {
            LogBacklog(backlog);
            return new Schedule([], backlog);
        }
        foreach (var batch in batches)
            await queues.Feeds.SendMessageAsync(WorkMessages.Write(batch), timeToLive: BatchLifetime, cancellationToken: cancellationToken);
        var schedule = new Schedule(batches, 0);
        LogScheduled(schedule.Feeds, batches.Count, config.Feeds.Count - schedule.Feeds);
        return schedule;
    }

    [LoggerMessage(LogLevel.Information, "Scheduled {Feeds} feeds in {Batches} batches; {NotDue} feeds are in shards not due")]
    partial void LogScheduled(int feeds, int batches, int notDue);

    [LoggerMessage(LogLevel.Warning, "{Backlog} batches of an earlier cycle are still queued or being worked, so this cycle queues nothing more; their feeds are read by them, the rest in the next cycle")]
    partial void LogBacklog(int backlog);
}
