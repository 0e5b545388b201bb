using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Primitives;
using Syndication.Rules;
using Syndication.Settings;
using Syndication.Storage;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Sweeps;

/// <summary>The feeds one process reads at once, over every batch it works (<see cref="SyndicationOptions.MaxConcurrentFeeds"/>).</summary>
public sealed class FeedSlots(IOptions<SyndicationOptions> options) : IDisposable
{
    readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentFeeds);

    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        return new Slot(slots);
    }

    sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) slots.Release();
        }
    }

    public void Dispose() => slots.Dispose();
}

/// <summary>
/// Works one batch: reads its shards' state, runs each due feed's unit of work (fetch, parse, deduplicate, complete, match,
/// store, queue alerts), writes the shards that changed, wakes the channels that got alerts, and tells the editors about
/// feeds that broke or recovered. Every step is idempotent, so a batch worked twice (a retry, a crashed instance's batch
/// made visible again) stores, queues and sends nothing twice.
/// </summary>
public sealed partial class FeedBatchWorker(
    FeedStateStore stateStore, FeedProcessor processor, EditorAlerts editors, WorkQueues queues, FeedSlots slots, HeadlineLog headlines,
    IOptions<SyndicationOptions> options, ILogger<FeedBatchWorker> logger)
{
    /// <summary>Works the batch: its feeds' units of work, then one write per shard that changed, the channels woken, the editors told.</summary>
    public async Task<IReadOnlyList<FeedOutcome>> WorkAsync(FeedBatch batch, SyndicationConfig config, CancellationToken cancellationToken)
    {
        var woken = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal); // channel → more alerts queued since its wake-up
        var outcomes = await ReadFeedsAsync(batch, config, async (feed, matcher, states, ct) =>
        {
            // The channels are woken as soon as their new alerts are queued; people's chats, with one message, once theirs
            // are too, and the channels again only for edits queued after.
            var early = false;
            var outcome = await processor.ProcessAsync(feed, config, matcher, states, ct, channelsQueued: ct =>
            {
                early = true;
                return WakeAsync(config, feed.Id, woken, people: false, channels: true, ct);
            });
            return (outcome, outcome.Enqueued > 0 ? ct => WakeAsync(config, feed.Id, woken, people: true, channels: !early || outcome.Updated > 0, ct) : null);
        }, onEnd: states => stateStore.SaveAsync(states, CancellationToken.None), cancellationToken);
        // Channels that got more alerts after their first wake-up in this batch are woken once more, in case their drain
        // had already ended: two wake-ups per channel per batch at most, not one per feed.
        foreach (var (channel, more) in woken)
            if (more) await queues.WakeAsync(WorkMessages.Write(new ChannelWake(channel)), cancellationToken);
        // One append for the batch's new articles, which /watch previews from.
        await headlines.AppendAsync([.. outcomes.SelectMany(o => o.Stored)], cancellationToken);
        await editors.SendAsync(config, FeedHealthChanges(outcomes), cancellationToken);
        return outcomes;
    }

    /// <summary>A rehearsal of <see cref="WorkAsync"/>: the same reads and plans, nothing written; the alerts a real run would queue go to <paramref name="planned"/>.</summary>
    public async Task<IReadOnlyList<FeedOutcome>> RehearseAsync(FeedBatch batch, SyndicationConfig config, ConcurrentQueue<OutboxEntry> planned, CancellationToken cancellationToken) =>
        (await ReadFeedsAsync(batch, config, async (feed, matcher, states, ct) => (await processor.RehearseAsync(feed, config, matcher, states, planned, ct), null),
            onEnd: _ => Task.CompletedTask, cancellationToken));

    /// <summary>
    /// Runs each due feed's unit of work: at most <see cref="SyndicationOptions.MaxConcurrentFeeds"/> at once, the sites
    /// taking turns (<see cref="SiteTurns{T}"/>) so a slot goes only to a feed whose site has room, each site's feeds the
    /// one that has waited longest first, and within the batch's deadline. What a unit returns to do after its slot is
    /// freed runs then: alerts go out while other feeds are still being read.
    /// </summary>
    async Task<FeedOutcome[]> ReadFeedsAsync(FeedBatch batch, SyndicationConfig config,
        Func<FeedDefinition, RuleMatcher, FeedStates, CancellationToken, Task<(FeedOutcome, Func<CancellationToken, Task>?)>> unit,
        Func<FeedStates, Task> onEnd, CancellationToken cancellationToken)
    {
        var matcher = RuleMatcher.For(config);
        var wanted = batch.Feeds.ToHashSet(StringComparer.Ordinal);
        // A feed removed from the configuration since the batch was queued is skipped.
        var feeds = config.Feeds.Where(f => wanted.Contains(f.Id)).ToList();
        var states = await stateStore.LoadAsync(config, batch.Shards, cancellationToken);
        var outcomes = new FeedOutcome[feeds.Count];
        var settings = options.Value;
        var deadline = Stopwatch.StartNew();
        // The feed that has waited longest goes first, so a deadline never leaves the same feeds behind every time.
        var turns = new SiteTurns<int>(Enumerable.Range(0, feeds.Count)
            .OrderBy(i => states.Get(feeds[i].Id) is { } state ? Max(state.LastSuccessAt, state.LastErrorAt) : null)
            .Select(i => (HttpAddresses.Site(feeds[i].Url), i)), settings.MaxConcurrentPerHost);

        async Task ReadAsync(int i, string site, IDisposable slot)
        {
            Func<CancellationToken, Task>? then = null;
            try
            {
                var feed = feeds[i];
                if (deadline.Elapsed > TimeSpan.FromSeconds(settings.SweepDeadlineSeconds))
                    outcomes[i] = new FeedOutcome(feed.Id, feed.Url.ToString(), 0, 0, 0, null) { Postponed = true, Broken = states.Get(feed.Id)?.Broken ?? false };
                else
                    (outcomes[i], then) = await unit(feed, matcher, states, cancellationToken);
            }
            finally
            {
                slot.Dispose();
                lock (turns) turns.Done(site);
            }
            if (then is not null) await then(cancellationToken);
        }

        var reading = new List<Task>();
        try
        {
            try
            {
                while (turns.Left > 0)
                {
                    if (reading.FirstOrDefault(t => t.IsFaulted || t.IsCanceled) is { } failed) await failed; // reaches the host, as any unexpected failure
                    reading.RemoveAll(t => t.IsCompletedSuccessfully);
                    int next;
                    string site;
                    bool found;
                    lock (turns) found = turns.TryNext(out next, out site);
                    if (!found)
                    {
                        if (reading.Count == 0) throw new InvalidOperationException("No site has room and no feed is being read");
                        // Every site with feeds left has its limit in flight: a slot taken now would only wait on one.
                        await Task.WhenAny(reading);
                        continue;
                    }
                    reading.Add(ReadAsync(next, site, await slots.TakeAsync(cancellationToken)));
                }
            }
            finally
            {
                // Nothing is saved, and nothing returned, while a feed is still being read.
                await Task.WhenAll(reading.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            }
            await Task.WhenAll(reading);
        }
        finally
        {
            // One write per shard whose feeds changed, and none when nothing did; kept even when the batch was cut short.
            await onEnd(states);
        }
        var postponed = outcomes.Count(o => o.Postponed);
        if (postponed > 0) LogPostponed(settings.SweepDeadlineSeconds, postponed);
        return outcomes;
    }

    /// <summary>
    /// Wakes every channel a rule over this feed reaches, the first time one gets alerts in this batch; later alerts only
    /// mark it for one more wake-up when the batch ends. Each wake-up lists the channel's outbox, so one per alert would
    /// cost a listing per alert.
    /// </summary>
    async Task WakeAsync(SyndicationConfig config, string feedId, ConcurrentDictionary<string, bool> woken, bool people, bool channels, CancellationToken cancellationToken)
    {
        // People's chats are woken together, by one message: a story for thousands of them is one wake-up, not thousands.
        foreach (var channel in config.Rules.Where(r => r.Enabled && config.Covers(r, feedId)).SelectMany(r => r.Channels).Select(Watches.Subscriber.WakeFor)
                     .Distinct(StringComparer.Ordinal).Where(c => c == Watches.Subscriber.People ? people : channels))
        {
            if (!woken.TryAdd(channel, false)) { woken[channel] = true; continue; }
            await queues.WakeAsync(WorkMessages.Write(new ChannelWake(channel)), cancellationToken);
        }
    }

    static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a > b || b is null ? a : b;

    /// <summary>One message to the editors per feed that broke or recovered in this batch.</summary>
    static IEnumerable<string> FeedHealthChanges(IEnumerable<FeedOutcome> outcomes) => outcomes
        .Where(f => f.BrokeNow || f.Recovered)
        .Select(f => f.BrokeNow
            ? $"⚠️ Feed <b>{HtmlText.Escape(f.FeedId)}</b> is broken: {HtmlText.Escape(f.Error ?? "")}. It is still retried, with backoff up to a day; check its address ({HtmlText.Escape(f.Url)})."
            : $"✅ Feed <b>{HtmlText.Escape(f.FeedId)}</b> works again.");

    [LoggerMessage(LogLevel.Warning, "A batch reached its {Seconds} s deadline (Syndication__SweepDeadlineSeconds); {Count} feeds were not started and are due in the next cycle")]
    partial void LogPostponed(int seconds, int count);
}
