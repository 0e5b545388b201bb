using System.Collections.Concurrent;
using System.Text;
using Azure;
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

namespace Syndication.Sweeps;

/// <summary>
/// One feed's unit of work: read (fetch, parse, the seen items, full texts, what was alerted and sent), plan with
/// <see cref="FeedPlanner"/>, then carry the plan out (<see cref="ProcessAsync"/>) or only show it (<see cref="RehearseAsync"/>).
/// Units share nothing but storage and the sweep's <see cref="FeedStates"/>, so they run side by side. A failure is
/// recorded on the feed and never escapes to other feeds.
/// </summary>
/// <remarks>
/// Storage requests per feed: none when the feed is not due, answers 304, or serves the same items as last time. When
/// its items changed: one read and one write of its seen-items blob, one write per new or edited article, one create
/// per alert, and one read per edit to find the message to edit.
/// </remarks>
public sealed partial class FeedProcessor(
    FeedFetcher fetcher, FullTextExtractor fullText, ArticleStore articles, SeenItemStore seenStore, Outbox outbox, RecentStories recent, StoryLog stories, Failpoints failpoints,
    IOptions<SyndicationOptions> options, TimeProvider time, ILogger<FeedProcessor> logger)
{
    /// <summary>Reads the feed, plans, and carries the plan out.</summary>
    /// <param name="channelsQueued">Called once the editors' channels' alerts are queued, before the people's: it wakes the channels.</param>
    public Task<FeedOutcome> ProcessAsync(FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, FeedStates states, CancellationToken cancellationToken,
        Func<CancellationToken, Task>? channelsQueued = null) =>
        RunAsync(feed, config, matcher, states, (work, items) => CarryOutAsync(feed, config, work, items, channelsQueued, cancellationToken), cancellationToken);

    /// <summary>
    /// Reads the feed and plans, writing nothing: the alerts a real run would queue now go to <paramref name="planned"/>
    /// (a story a channel already had is left out, as a real run would, without claiming it).
    /// </summary>
    public Task<FeedOutcome> RehearseAsync(FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, FeedStates states, ConcurrentQueue<OutboxEntry> planned,
        CancellationToken cancellationToken) =>
        RunAsync(feed, config, matcher, states, async (work, items) =>
        {
            work = await WithStoriesAsync(work, config, record: false, cancellationToken);
            var repeats = new List<(string Channel, IReadOnlyDictionary<string, string> Found)>();
            foreach (var (channel, going) in FeedPlanner.Claims(work.Fresh, config))
                repeats.Add((channel, await recent.FindAsync(channel, going, cancellationToken)));
            var alerts = Queued(work, repeats).SelectMany(a => a.Alerts).Concat(work.Edits.SelectMany(e => e.Steps).OfType<EditStep.SendEdit>().Select(s => s.Edit)).ToList();
            foreach (var alert in alerts) planned.Enqueue(alert);
            return work.Outcome(feed, items, alerts.Count);
        }, cancellationToken);

    async Task<FeedOutcome> RunAsync(FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, FeedStates states,
        Func<FeedWork, int, Task<FeedOutcome>> act, CancellationToken cancellationToken)
    {
        var state = states.Get(feed.Id);
        if (FeedSchedule.NotDueUntil(state, time.GetUtcNow()) is { } due)
            return new FeedOutcome(feed.Id, feed.Url.ToString(), 0, 0, 0, null) { NotDueUntil = due, Broken = state!.Broken, MovedTo = state.MovedTo };

        // Each feed has a time budget, so one slow site cannot hold up the sweep; work left over is picked up next time.
        var settings = options.Value;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TimeSpan.FromSeconds(settings.FeedBudgetSeconds));
        try
        {
            var firstRead = FeedSchedule.FirstRead(state);
            FetchedFeed fetched;
            try
            {
                fetched = firstRead
                    ? await fetcher.FetchAsync(feed.Url, budget.Token)
                    : await fetcher.FetchAsync(feed.Url, budget.Token, state!.ETag, state.LastModified);
            }
            catch (OperationCanceledException ex) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new FeedFetchException($"the feed did not arrive within its {settings.FeedBudgetSeconds} s budget", ex);
            }
            if (fetched.MovedTo is { } moved && state?.MovedTo != moved.ToString()) LogMoved(feed.Id, feed.Url, moved);

            var now = time.GetUtcNow();
            var parsed = fetched.NotModified ? null : FeedParser.Parse(fetched);
            if (parsed is not null) parsed = parsed with { Entries = [.. parsed.Entries.Select(e => e.WithTrustedDate(now))] };
            if (parsed?.Repairs is { Count: > 0 } repairs) LogRepaired(feed.Id, string.Join("; ", repairs));
            var fingerprint = parsed is null ? state?.ItemsFingerprint : Fingerprint(parsed);
            var unchanged = parsed is null || !firstRead && fingerprint == state?.ItemsFingerprint;
            var outcome = unchanged
                ? new FeedOutcome(feed.Id, feed.Url.ToString(), parsed?.Entries.Count ?? 0, 0, 0, null) { NotModified = true }
                : await act(await ReadAsync(feed, config, matcher, parsed!, firstRead, budget.Token, cancellationToken), parsed!.Entries.Count);

            states.Set(feed.Id, FeedSchedule.AfterRead(state, fetched, fingerprint, unchanged, outcome.NewArticles, complete: outcome.HeldBack == 0, feed.MinIntervalMinutes, time.GetUtcNow(), parsed?.Site));
            if (unchanged) LogUnchanged(feed.Id, fetched.NotModified ? "not modified (304)" : "the same items as last time");
            else LogFetched(feed.Id, outcome.Items, outcome.NewArticles, outcome.Updated, outcome.Enqueued);
            if (outcome.HeldBack > 0) LogHeldBack(feed.Id, outcome.HeldBack, outcome.HeldBackReason ?? "");
            if (outcome.HeldByBackfill > 0) LogBackfill(feed.Id, outcome.HeldByBackfill + outcome.Enqueued, feed.Backfill, outcome.HeldByBackfill);
            return outcome with { Recovered = state?.Broken == true, MovedTo = fetched.MovedTo?.ToString() };
        }
        catch (Exception ex) when (ex is FeedFetchException or RequestFailedException)
        {
            var reason = ex is RequestFailedException storage ? $"storage error {storage.Status} {storage.ErrorCode}: {storage.FirstLine()}" : ex.Message;
            LogFailed(feed.Id, feed.Url, reason);
            var failed = FeedSchedule.AfterFailure(state, reason, (ex as FeedFetchException)?.StatusCode, (ex as FeedFetchException)?.RetryAfter, time.GetUtcNow());
            states.Set(feed.Id, failed);
            return new FeedOutcome(feed.Id, feed.Url.ToString(), 0, 0, 0, reason) { Broken = failed.Broken, BrokeNow = failed.Broken && state?.Broken != true, MovedTo = state?.MovedTo };
        }
    }

    /// <summary>
    /// A hash of every item's key and content as the feed wrote it: equal fingerprints mean nothing to store, match or
    /// alert, and no HTML is read. (A build that hashed the converted text reads each feed's items once more after an
    /// upgrade, and finds them unchanged.)
    /// </summary>
    static string Fingerprint(ParsedFeed parsed)
    {
        var text = new StringBuilder();
        foreach (var entry in parsed.Entries) text.Append(entry.Key).Append('\u001f').Append(entry.RawHash).Append('\u001e');
        return Hashes.Hex(text.ToString(), 32);
    }

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: another run read it at the same moment and recorded its items first")]
    partial void LogSeenByAnother(string feedId);

    [LoggerMessage(LogLevel.Information, "{ArticleBlob} made its story a growing one: {Outlets} outlets in {Minutes} min; alerting channel(s) {Channels}")]
    partial void LogGrowing(string articleBlob, int outlets, int minutes, string channels);

    [LoggerMessage(LogLevel.Information, "{ArticleBlob} repeats {Original}, already alerted to channel {ChannelId}: not alerted again")]
    partial void LogDuplicate(string articleBlob, string channelId, string original);

    [LoggerMessage(LogLevel.Debug, "Feed {FeedId}: unchanged, {Why}")] // the sweep summary counts them; one line per quiet feed is noise
    partial void LogUnchanged(string feedId, string why);

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: {Items} items, {NewArticles} new, {Updated} edited, {Enqueued} alerts queued")]
    partial void LogFetched(string feedId, int items, int newArticles, int updated, int enqueued);

    [LoggerMessage(LogLevel.Debug, "Feed {FeedId}: the XML was broken and was mended to be read: {Repairs}")]
    partial void LogRepaired(string feedId, string repairs);

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: {HeldBack} new or edited items held back for later sweeps: {Reason}")]
    partial void LogHeldBack(string feedId, int heldBack, string reason);

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: first read; {Matching} items match the rules, backfill {Backfill} holds back {Held} of them (stored, not alerted)")]
    partial void LogBackfill(string feedId, int matching, int backfill, int held);

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: {Count} items came back after leaving the feed; they were alerted before and are not again")]
    partial void LogReturned(string feedId, int count);

    [LoggerMessage(LogLevel.Warning, "Feed {FeedId} ({Url}) failed: {Reason}")]
    partial void LogFailed(string feedId, Uri url, string reason);

    [LoggerMessage(LogLevel.Warning, "Channel {ChannelId}: its template failed for {ArticleBlob}, so the built-in layout was used: {Reason}")]
    partial void LogTemplateFailed(string channelId, string articleBlob, string reason);

    [LoggerMessage(LogLevel.Warning, "Feed {FeedId}: {Url} redirects permanently to {MovedTo}; update the feed's url in the configuration")]
    partial void LogMoved(string feedId, Uri url, Uri movedTo);
}
