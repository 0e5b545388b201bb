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
using Syndication.Telegram;

namespace Syndication.Sweeps;

/// <summary>
/// Everything a changed feed read comes to, before any write: the seen items as read, the items worked and held back, the
/// new articles with their messages, which of them alert, and what each edited story does.
/// </summary>
public sealed record FeedWork(
    SeenItems Seen, ItemScan Scan, IReadOnlyList<ChangedItem> Worked, IReadOnlyList<FreshArticle> Fresh, IReadOnlyList<Article> Alerting,
    IReadOnlyList<(Article Article, IReadOnlyList<EditStep> Steps)> Edits, int HeldBack, string? HeldBackReason, DateTimeOffset Now)
{
    public FeedOutcome Outcome(FeedDefinition feed, int items, int enqueued) => new(feed.Id, feed.Url.ToString(), items, Fresh.Count, enqueued, null)
    {
        Updated = Edits.Count,
        HeldBack = HeldBack,
        HeldBackReason = HeldBackReason,
        HeldByBackfill = FeedPlanner.Matching(Fresh.Select(f => f.Article)).Count - Alerting.Count,
    };
}

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
    FeedFetcher fetcher, FullTextExtractor fullText, ArticleStore articles, SeenItemStore seenStore, Outbox outbox, RecentStories recent, Failpoints failpoints,
    IOptions<SyndicationOptions> options, TimeProvider time, ILogger<FeedProcessor> logger)
{
    /// <summary>Reads the feed, plans, and carries the plan out.</summary>
    public Task<FeedOutcome> ProcessAsync(FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, FeedStates states, CancellationToken cancellationToken) =>
        RunAsync(feed, config, matcher, states, (work, items) => CarryOutAsync(feed, config, work, items, cancellationToken), cancellationToken);

    /// <summary>
    /// Reads the feed and plans, writing nothing: the alerts a real run would queue now go to <paramref name="planned"/>
    /// (a story a channel already had is left out, as a real run would, without claiming it).
    /// </summary>
    public Task<FeedOutcome> RehearseAsync(FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, FeedStates states, ConcurrentQueue<OutboxEntry> planned,
        CancellationToken cancellationToken) =>
        RunAsync(feed, config, matcher, states, async (work, items) =>
        {
            var repeats = new List<(string Channel, IReadOnlyDictionary<string, string> Found)>();
            foreach (var (channel, going) in FeedPlanner.Claims(work.Fresh, work.Alerting.ToHashSet(), config))
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

            states.Set(feed.Id, FeedSchedule.AfterRead(state, fetched, fingerprint, unchanged, outcome.NewArticles, complete: outcome.HeldBack == 0, feed.MinIntervalMinutes, time.GetUtcNow()));
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

    /// <summary>
    /// Everything the plan needs, read: the seen items; each new or edited item's full text (rules see the article's whole
    /// text, so a keyword only in the body still alerts), within the feed's budget; on a first read, the alerts already
    /// queued or sent for the feed; and, for an edited story, the message sent or the alert waiting in each channel that
    /// wants edits.
    /// </summary>
    async Task<FeedWork> ReadAsync(FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, ParsedFeed parsed, bool firstRead,
        CancellationToken budget, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var seen = await seenStore.LoadAsync(feed.Id, cancellationToken);
        var scan = FeedPlanner.Scan(parsed.Entries, seen.Items, settings.MaxItemsPerFeed);
        var now = time.GetUtcNow();
        var source = feed.Name ?? parsed.Title ?? feed.Id;
        var outOfTime = $"its {settings.FeedBudgetSeconds} s budget ran out";
        var worked = new List<ChangedItem>();
        var fresh = new List<Article>();
        var edits = new List<(Article, IReadOnlyList<EditStep>)>();
        var heldBack = scan.OverLimit;
        string? reason = heldBack > 0 ? $"more than {settings.MaxItemsPerFeed} new or edited items (Syndication__MaxItemsPerFeed)" : null;
        foreach (var item in scan.Changed)
        {
            FeedEntry complete;
            try
            {
                budget.ThrowIfCancellationRequested();
                complete = await fullText.CompleteAsync(item.Entry, feed.FullText, feed.Id, budget);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                heldBack++;
                reason ??= outOfTime;
                continue;
            }
            worked.Add(item);
            var article = ArticleMessages.Matched(feed.Id, complete, now, matcher);
            if (item.Change == ItemChange.New)
            {
                fresh.Add(article);
                continue;
            }
            article = article with { UpdatedAt = now };
            var steps = new List<EditStep>();
            foreach (var message in (await MessagesAsync(article, source, config, cancellationToken)).Where(m => FeedPlanner.WantsEdit(m, config)))
            {
                var original = OutboxEntry.NameFor(message.Channel.Id, article.BlobName);
                var sent = await outbox.GetDeliveryAsync(original, cancellationToken);
                var pending = sent is null ? await outbox.GetPendingAsync(original, cancellationToken) : null;
                steps.Add(FeedPlanner.Edit(article, source, message, item.Entry.ContentHash, sent, pending, time.GetUtcNow()));
            }
            edits.Add((article, steps));
        }

        // Backfill counts the alerts already queued or sent for the feed, so a first read cut short by a crash or spread over
        // several sweeps still alerts no more than `backfill`; only channels a rule over this feed reaches can hold them.
        var matching = FeedPlanner.Matching(fresh);
        var alreadyAlerted = firstRead && feed.Backfill > 0 && matching.Count > 0
            ? await outbox.CountAlertedArticlesAsync(feed.Id, config.Rules.Where(r => config.Covers(r, feed.Id)).SelectMany(r => r.Channels).Distinct(), cancellationToken)
            : 0;
        var alerting = FeedPlanner.Alerting(matching, firstRead, feed.Backfill, alreadyAlerted);
        var alerts = alerting.ToHashSet();
        // Only an article that alerts needs its messages (and its picture checked).
        var planned = new List<FreshArticle>();
        foreach (var article in fresh)
            planned.Add(new FreshArticle(article, alerts.Contains(article) ? await MessagesAsync(article, source, config, cancellationToken) : []));
        if (scan.Returned > 0) LogReturned(feed.Id, scan.Returned);
        return new FeedWork(seen, scan, worked, planned, alerting, edits, heldBack, reason, now);
    }

    /// <summary>Each alerting article's alerts, less the channels that had its story (<paramref name="repeats"/>), and the article marked with them.</summary>
    IEnumerable<(FreshArticle Fresh, Article Article, IReadOnlyList<OutboxEntry> Alerts)> Queued(FeedWork work, IEnumerable<(string Channel, IReadOnlyDictionary<string, string> Found)> repeats)
    {
        var byArticle = repeats.SelectMany(r => r.Found.Select(f => (Article: f.Key, r.Channel, Original: f.Value))).ToLookup(r => r.Article, StringComparer.Ordinal);
        var alerting = work.Alerting.ToHashSet();
        foreach (var fresh in work.Fresh)
        {
            if (!alerting.Contains(fresh.Article)) { yield return (fresh, fresh.Article, []); continue; }
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
        foreach (var (channel, going) in FeedPlanner.Claims(work.Fresh, work.Alerting.ToHashSet(), config))
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
                if (step is EditStep.Rewrite(var pending, var version)) await outbox.RecordFailureAsync(pending, version, cancellationToken);
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

    /// <summary>
    /// Each channel's message; a template that fails is reported and the built-in layout used instead. The article's
    /// picture is shown only if it passes the guard feeds pass: Telegram fetches it, and no alert points it inside a network.
    /// </summary>
    async Task<IReadOnlyList<ChannelMessage>> MessagesAsync(Article article, string source, SyndicationConfig config, CancellationToken cancellationToken)
    {
        var picture = article.Image is null || !article.Matches.Any() ? null
            : await PrivateNetworks.PublicOrNullAsync(article.Image, options.Value.AllowPrivateNetworks, cancellationToken);
        var messages = MessageFormatter.PerChannel(article, source, config, picture).ToList();
        foreach (var message in messages)
            if (message.TemplateError is { } error) LogTemplateFailed(message.Channel.Id, article.BlobName, error);
        return messages;
    }

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: another run read it at the same moment and recorded its items first")]
    partial void LogSeenByAnother(string feedId);

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
