using Azure;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Storage;

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

    /// <summary>
    /// Carries a plan out in the one order that keeps a retry safe, since every step is idempotent and the seen items are
    /// written last: if the run stops anywhere, the next one sees the same items as new or edited and does the rest.
    /// <list type="number">
    /// <item>Claim the alerting stories in each channel they go to (one read and one conditional write per channel); a story
    /// the channel already had from another feed is not queued there.</item>
    /// <item>Per new article: queue its alerts (created once, whoever queues them), then store it.</item>
    /// <item>Per edited story: queue each edit or rewrite the waiting alert, then replace the stored article.</item>
    /// <item>Save the seen items.</item>
    /// </list>
    /// </summary>
    async Task<FeedOutcome> CarryOutAsync(FeedDefinition feed, SyndicationConfig config, FeedWork work, int items, CancellationToken cancellationToken)
    {
        var repeats = new List<(string Channel, IReadOnlyDictionary<string, string> Found)>();
        foreach (var (channel, going) in FeedPlanner.Claims(work.Fresh, config))
            repeats.Add((channel, await recent.ClaimAsync(channel, going, cancellationToken)));

        var enqueued = 0;
        foreach (var (_, article, alerts) in Queued(work, repeats).ToList())
        {
            foreach (var alert in alerts)
            {
                if (await outbox.EnqueueAsync(alert, cancellationToken)) enqueued++;
                failpoints.Pass(Failpoint.AlertQueued);
            }
            await articles.TryCreateAsync(article, cancellationToken);
            failpoints.Pass(Failpoint.ArticleStored);
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
