using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Settings;
using Syndication.Storage;

namespace Syndication.Sweeps;

/// <summary>What one scheduling pass queued, or why it queued nothing.</summary>
public sealed record Schedule(IReadOnlyList<FeedBatch> Batches, int Backlog)
{
    public int Feeds => Batches.Sum(b => b.Feeds.Count);
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
    /// time passed, or a feed added since it was written), whole shards packed up to about <paramref name="feedsPerBatch"/> feeds.
    /// </summary>
    public static IReadOnlyList<FeedBatch> Plan(SyndicationConfig config, IReadOnlyDictionary<int, ShardSummary> shards, int shardCount, int feedsPerBatch, DateTimeOffset now)
    {
        var batches = new List<FeedBatch>();
        var (shardIds, feedIds) = (new List<int>(), new List<string>());
        foreach (var shard in config.Feeds.GroupBy(f => FeedShards.Of(f, shardCount)).OrderBy(g => g.Key))
        {
            var ids = shard.Select(f => f.Id).ToList();
            if (shards.TryGetValue(shard.Key, out var summary) && summary.DueAt > now && summary.Feeds == FeedStateStore.FeedSetHash(ids)) continue;
            shardIds.Add(shard.Key);
            feedIds.AddRange(ids);
            if (feedIds.Count < feedsPerBatch) continue;
            batches.Add(new FeedBatch(now, shardIds, feedIds));
            (shardIds, feedIds) = ([], []);
        }
        if (feedIds.Count > 0) batches.Add(new FeedBatch(now, shardIds, feedIds));
        return batches;
    }

    /// <summary>The batches due now, without queuing them: what a dry run works in-process.</summary>
    public async Task<IReadOnlyList<FeedBatch>> PlanAsync(SyndicationConfig config, CancellationToken cancellationToken) =>
        Plan(config, await stateStore.ListAsync(cancellationToken), stateStore.ShardCount, options.Value.FeedsPerBatch, time.GetUtcNow());

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
