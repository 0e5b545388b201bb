using Syndication.Config;
using Syndication.Delivery;
using Syndication.Storage;

namespace Syndication.Sweeps;

/// <summary>What happened to one feed in a sweep. <see cref="Error"/> says why it failed, in words an operator can act on.</summary>
public sealed record FeedOutcome(string FeedId, string Url, int Items, int NewArticles, int Enqueued, string? Error)
{
    public bool Succeeded => Error is null;

    /// <summary>Nothing changed since the last fetch: the server answered 304, or served the same items.</summary>
    public bool NotModified { get; init; }

    /// <summary>Known items whose title or text the feed changed.</summary>
    public int Updated { get; init; }

    /// <summary>New or edited items left for later sweeps (too many for one sweep, or the feed's time budget ran out), and why.</summary>
    public int HeldBack { get; init; }
    public string? HeldBackReason { get; init; }

    /// <summary>On a feed's first read: matching items stored without an alert because of <c>backfill</c>.</summary>
    public int HeldByBackfill { get; init; }

    /// <summary>Not started: the sweep reached its deadline first. The feed is due in the next sweep.</summary>
    public bool Postponed { get; init; }

    /// <summary>The feed's address redirects permanently (301/308) here: the configured URL should be updated.</summary>
    public string? MovedTo { get; init; }

    /// <summary>Not fetched in this sweep: it is backing off after failures, or honouring Retry-After or minIntervalMinutes.</summary>
    public DateTimeOffset? NotDueUntil { get; init; }

    /// <summary>The feed failed too often or is gone (410); <see cref="BrokeNow"/> and <see cref="Recovered"/> mark the changes.</summary>
    public bool Broken { get; init; }
    public bool BrokeNow { get; init; }
    public bool Recovered { get; init; }

    /// <summary>The new articles stored, for the hour's headline log; not part of any report.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Articles.Article> Stored { get; init; } = [];
}

/// <summary>The result of one sweep, for logs, the CLI and tests.</summary>
public sealed record SweepReport(IReadOnlyList<FeedOutcome> Feeds, IReadOnlyList<DeliveryOutcome> Deliveries, bool DryRun)
{
    /// <summary>The storage requests this run made, by billing class.</summary>
    public StorageRequestCounts Storage { get; init; }

    public int Count(DeliveryStatus status) => Deliveries.Count(d => d.Status == status);

    /// <summary>Feeds fetched and read in this run, unchanged ones included.</summary>
    public int FeedsFetched => Feeds.Count(f => f.Succeeded && f.NotDueUntil is null && !f.Postponed);

    public int FeedsUnchanged => Feeds.Count(f => f.Succeeded && f.NotModified);

    public int FeedsFailed => Feeds.Count(f => !f.Succeeded);

    public int AlertsQueued => Feeds.Sum(f => f.Enqueued);

    /// <summary>Every send was tried and none got an answer from Telegram: the Bot API itself is unreachable.</summary>
    public bool TelegramUnreachable =>
        Deliveries.Any(d => d.NetworkFailure)
        && Deliveries.Where(d => d.Status is DeliveryStatus.Sent or DeliveryStatus.Retrying or DeliveryStatus.Rejected or DeliveryStatus.DeadLettered).All(d => d.NetworkFailure);

    /// <summary>Channels Telegram refused for good in this sweep, with the reason: editors need to act on these.</summary>
    public IReadOnlyList<(string ChannelId, string Reason)> FailingChannels =>
        Deliveries.Where(d => d.ChatUnusable).GroupBy(d => d.ChannelId).Select(g => (g.Key, g.First().Error ?? "")).ToList();

    public string Summary
    {
        get
        {
            var waiting = Feeds.Count(f => f.NotDueUntil is not null);
            var broken = Feeds.Where(f => f.Broken).Select(f => f.FeedId).ToList();
            var alerts = DryRun
                ? $"{Counted.Of(Count(DeliveryStatus.DryRun), "alert")} to send (dry run, nothing sent)"
                : $"{Counted.Of(Count(DeliveryStatus.Sent), "alert")} sent, {Count(DeliveryStatus.Retrying) + Count(DeliveryStatus.Rejected) + Count(DeliveryStatus.DeadLettered)} failed"
                  + Extra(DeliveryStatus.Retrying, "to be retried") + Extra(DeliveryStatus.Waiting, "waiting for a retry") + Extra(DeliveryStatus.Held, "held for quiet hours") + Extra(DeliveryStatus.Collected, "collected for digests")
                  + Extra(DeliveryStatus.Deferred, "deferred by flood control") + DeadLettered()
                  + (Deliveries.Count(d => d.Uncertain) is > 0 and var uncertain ? $" ({uncertain} uncertain: sent but unanswered, so possibly shown twice)" : "");
            var unchanged = FeedsUnchanged;
            var moved = Feeds.Where(f => f.MovedTo is not null).Select(f => $"{f.FeedId} → {f.MovedTo}").ToList();
            var failed = Feeds.Where(f => !f.Succeeded).Select(f => f.FeedId).ToList();
            var feeds = $"{Counted.Of(FeedsFetched, "feed")} fetched{(unchanged > 0 ? $" ({unchanged} unchanged)" : "")}, {FeedsFailed} failed"
                + (failed.Count > 0 ? $" ({string.Join(", ", failed)})" : "") + (waiting > 0 ? $", {waiting} not due" : "")
                + (broken.Count > 0 ? $" ({broken.Count} broken: {string.Join(", ", broken)})" : "");
            var updated = Feeds.Sum(f => f.Updated);
            var heldBack = Feeds.Sum(f => f.HeldBack);
            var backfill = Feeds.Sum(f => f.HeldByBackfill);
            var postponed = Feeds.Count(f => f.Postponed);
            var articles = $"{Counted.Of(Feeds.Sum(f => f.NewArticles), "new article")}" + (updated > 0 ? $", {updated} edited" : "")
                + (heldBack > 0 ? $", {heldBack} held for later sweeps ({string.Join(", ", Feeds.Where(f => f.HeldBack > 0).Select(f => $"{f.FeedId}: {f.HeldBackReason}"))})" : "")
                + (backfill > 0 ? $", {backfill} matching items stored without an alert by backfill" : "");
            if (postponed > 0) feeds += $", {postponed} not started before the sweep's deadline";
            var movedNote = moved.Count > 0 ? $" Moved permanently, update the url: {string.Join(", ", moved)}." : "";
            return $"Sweep done: {feeds}; {articles}; {alerts}; {Storage}.{movedNote}";

            string Extra(DeliveryStatus status, string words) => Count(status) > 0 ? $" ({Count(status)} {words})" : "";

            // Both a refused alert and one retried for too long are moved to dead letters, and counted there.
            string DeadLettered()
            {
                int refused = Count(DeliveryStatus.Rejected), expired = Count(DeliveryStatus.DeadLettered);
                if (refused + expired == 0) return "";
                var why = new List<string>();
                if (refused > 0) why.Add($"{refused} refused by Telegram");
                if (expired > 0) why.Add($"{expired} after retrying for the retry period");
                return $" ({refused + expired} dead-lettered: {string.Join(", ", why)})";
            }
        }
    }
}
