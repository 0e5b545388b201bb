using Azure;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Storage;
using Syndication.Telegram;

namespace Syndication.Sweeps;

/// <summary>A feed's plan carried out, in the one write order that keeps a retry safe.</summary>
public sealed partial class FeedProcessor
{
    /// <summary>Each alerting article's alerts, less the channels that had its story (<paramref name="repeats"/>), and the article marked with them.</summary>
    IEnumerable<(FreshArticle Fresh, Article Article, IReadOnlyList<OutboxEntry> Alerts)> Queued(FeedWork work, IEnumerable<(string Channel, IReadOnlyDictionary<string, string> Found)> repeats)
    {
        var byArticle = repeats.SelectMany(r => r.Found.Select(f => (Article: f.Key, r.Channel, Original: f.Value))).ToLookup(r => r.Article, StringComparer.Ordinal);
        foreach (var fresh in work.Fresh)
        {
            if (!fresh.Alerts) { yield return (fresh, fresh.Article, []); continue; }
            var duplicateOf = byArticle[fresh.Article.BlobName].ToDictionary(r => r.Channel, r => r.Original, StringComparer.Ordinal);
            foreach (var (channel, original) in duplicateOf) LogDuplicate(fresh.Article.BlobName, channel, original);
            yield return (fresh, duplicateOf.Count > 0 ? fresh.Article with { DuplicateOf = duplicateOf } : fresh.Article, FeedPlanner.Alerts(fresh, duplicateOf, time.GetUtcNow()));
        }
    }

    async Task<IReadOnlyList<(string Channel, Claimed Found)>> ClaimAsync(IReadOnlyList<KeyValuePair<string, IReadOnlyList<Article>>> claims,
        bool people, CancellationToken cancellationToken)
    {
        var found = new Claimed[claims.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, claims.Count), Together(people, cancellationToken),
            async (i, ct) => found[i] = await recent.ClaimAsync(claims[i].Key, claims[i].Value, ct));
        return [.. claims.Select((c, i) => (c.Key, found[i]))];
    }

    /// <summary>
    /// Carries out the "also reported by" step for a story the channel had that another outlet now carries: reads the
    /// story's first article, its delivery record or waiting alert, asks <see cref="FeedPlanner.AlsoEdit"/>, and writes. A
    /// newer edit replaces the one before it while that one still waits, so the story is edited once with every outlet.
    /// Returns the edits queued.
    /// </summary>
    async Task<int> AlsoAsync(SyndicationConfig config, string channelId, string originalBlob, AlsoReported also, CancellationToken cancellationToken)
    {
        // Nothing is read for a channel that takes no such edits.
        if (config.FindChannel(channelId) is not { } channel || !FeedPlanner.WantsAlso(channel)) return 0;
        var name = OutboxEntry.NameFor(channelId, originalBlob);
        var sent = await outbox.GetDeliveryAsync(name, cancellationToken);
        var pending = sent is null ? await outbox.GetPendingAsync(name, cancellationToken) : null;
        // A sent alert is edited to itself and the line: rendered again from its article, stored before it was sent.
        var original = sent is null ? null : await articles.GetAsync(originalBlob, cancellationToken);
        var source = original?.Source ?? original?.FeedId ?? "";
        var message = original is null ? null : MessageFormatter.PerChannel(original, source, config).FirstOrDefault(m => m.Channel.Id == channelId);
        switch (FeedPlanner.AlsoEdit(channel, original, source, message, sent, pending, also, time.GetUtcNow()))
        {
            case EditStep.SendEdit(var edit):
                if (also.Outlets.Count > 1) await outbox.RemoveAsync((edit with { Version = FeedPlanner.AlsoVersion(also.Outlets.Count - 1) }).Name, cancellationToken);
                return await outbox.EnqueueAsync(edit, cancellationToken) ? 1 : 0;
            case EditStep.Rewrite(var entry, var version):
                await outbox.UpdatePendingAsync(entry, version, cancellationToken);
                return 0;
            default:
                return 0;
        }
    }

    /// <summary>
    /// Requests to storage one feed's plan makes at once: 16 for the editors' channels, 4 for people, whose thousands of
    /// claims and alerts would otherwise crowd out the rest of the sweep's reading (measured in docs/performance.md).
    /// </summary>
    static ParallelOptions Together(bool people, CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = people ? 4 : 16, CancellationToken = cancellationToken };

    /// <summary>
    /// Carries a plan out in the one order that keeps a retry safe, since every step is idempotent and the seen items are
    /// written last: if the run stops anywhere, the next one sees the same items as new or edited and does the rest.
    /// <list type="number">
    /// <item>When the configuration counts outlets, sort the new articles into the story log (one read and one conditional
    /// write); an article that makes a story grow past a channel's threshold alerts there.</item>
    /// <item>Claim the alerting stories in each channel they go to (one read and one conditional write per channel); a story
    /// the channel already had from another feed is not queued there.</item>
    /// <item>Queue the new articles' alerts to the editors' channels (each created once, whoever queues it), then edit the
    /// alerts of stories other outlets now carry too (<see cref="AlsoAsync"/>), this read's own among them.</item>
    /// <item>Store each new article, then wake the channels (<paramref name="channelsQueued"/>).</item>
    /// <item>Only then the people's claims and alerts, so a story for thousands of people reaches the channels without
    /// waiting for them.</item>
    /// <item>Per edited story: queue each edit or rewrite the waiting alert, then replace the stored article.</item>
    /// <item>Save the seen items.</item>
    /// </list>
    /// </summary>
    async Task<FeedOutcome> CarryOutAsync(FeedDefinition feed, SyndicationConfig config, FeedWork work, int items, Func<CancellationToken, Task>? channelsQueued,
        CancellationToken cancellationToken)
    {
        work = await WithStoriesAsync(work, config, record: true, cancellationToken);
        var claims = FeedPlanner.Claims(work.Fresh, config).ToLookup(c => Watches.Subscriber.ChatOf(c.Key) is not null);
        var enqueued = 0;
        var repeats = new List<(string Channel, IReadOnlyDictionary<string, string> Found)>();
        IReadOnlyList<(FreshArticle Fresh, Article Article, IReadOnlyList<OutboxEntry> Alerts)> queued = [];
        foreach (var people in new[] { false, true })
        {
            var claimed = await ClaimAsync([.. claims[people]], people, cancellationToken);
            repeats.AddRange(claimed.Select(c => (c.Channel, c.Found.Repeats)));
            queued = [.. Queued(work, repeats)];
            var alerts = queued.SelectMany(q => q.Alerts).Where(a => Watches.Subscriber.ChatOf(a.ChannelId) is not null == people).ToList();
            // Each claim and each alert is independent of the others, and a story for thousands of people is thousands of
            // them: they go side by side.
            await Parallel.ForEachAsync(alerts, Together(people, cancellationToken), async (alert, ct) =>
            {
                if (await outbox.EnqueueAsync(alert, ct)) Interlocked.Increment(ref enqueued);
                failpoints.Pass(Failpoint.AlertQueued);
            });
            // After this feed's own alerts are queued, so an outlet another feed of the same round found for one of them
            // rewrites it while it waits.
            foreach (var (channel, found) in claimed)
                foreach (var (original, also) in found.Also)
                    enqueued += await AlsoAsync(config, channel, original, also, cancellationToken);
            if (people) continue;
            // Stored once the channels' alerts of it are queued, before the channels are woken: an "also reported by"
            // edit renders a sent alert again from its article. People's alerts follow; a retry queues what is missing,
            // since the seen items are saved last.
            foreach (var (_, article, _) in queued)
            {
                await articles.TryCreateAsync(article, cancellationToken);
                failpoints.Pass(Failpoint.ArticleStored);
            }
            if (alerts.Count > 0 && channelsQueued is not null) await channelsQueued(cancellationToken);
        }

        foreach (var (article, steps) in work.Edits)
        {
            foreach (var step in steps)
            {
                if (step is EditStep.SendEdit(var edit) && await outbox.EnqueueAsync(edit, cancellationToken)) enqueued++;
                if (step is EditStep.Rewrite(var pending, var version)) await outbox.UpdatePendingAsync(pending, version, cancellationToken);
            }
            await articles.ReplaceAsync(article, cancellationToken);
        }

        try
        {
            await seenStore.SaveAsync(feed.Id, FeedPlanner.Remember(work.Seen, work.Scan, work.Worked, work.Now, options.Value.SeenItemsPerFeed), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Another run read this feed at the same moment and wrote what it carried first: its record stands, and the
            // alerts queued here (each queued once, whoever queued it) still wake their channels.
            LogSeenByAnother(feed.Id);
        }
        return work.Outcome(feed, items, enqueued);
    }
}
