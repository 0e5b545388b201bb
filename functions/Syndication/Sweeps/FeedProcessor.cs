using System.Collections.Concurrent;
using System.Security.Cryptography;
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
/// One feed's unit of work: fetch, parse, store, match, enqueue. Units share nothing but storage and the sweep's
/// <see cref="FeedStates"/>, so they run side by side. A failure is recorded on the feed and never escapes to other feeds.
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
    /// <summary>How often an unchanged feed's last success is written down: more often would cost a write every sweep.</summary>
    static readonly TimeSpan SuccessGranularity = TimeSpan.FromHours(1);

    /// <summary>The longest a server's Cache-Control or Expires can put a feed off.</summary>
    /// <param name="dryRun">Write nothing: no article, no seen item, no alert; the alerts a real run would queue go to <paramref name="planned"/>.</param>
    public async Task<FeedOutcome> ProcessAsync(FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, FeedStates states,
        bool dryRun, ConcurrentQueue<OutboxEntry>? planned, CancellationToken cancellationToken)
    {
        var state = states.Get(feed.Id);
        var now = time.GetUtcNow();
        if (FeedSchedule.NotDueUntil(state, now) is { } due)
            return new FeedOutcome(feed.Id, feed.Url.ToString(), 0, 0, 0, null) { NotDueUntil = due, Broken = state!.Broken, MovedTo = state.MovedTo };

        // Each feed has a time budget, so one slow site cannot hold up the sweep; work left over is picked up next time.
        var settings = options.Value;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TimeSpan.FromSeconds(settings.FeedBudgetSeconds));
        try
        {
            // Validators only count once the feed has been read whole; a feed that never succeeded is fetched in full.
            var firstSight = state?.FirstSuccessAt is null || state.FirstReadPending;
            FetchedFeed fetched;
            try
            {
                fetched = firstSight
                    ? await fetcher.FetchAsync(feed.Url, budget.Token)
                    : await fetcher.FetchAsync(feed.Url, budget.Token, state!.ETag, state.LastModified);
            }
            catch (OperationCanceledException ex) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new FeedFetchException($"the feed did not arrive within its {settings.FeedBudgetSeconds} s budget", ex);
            }
            if (fetched.MovedTo is { } moved && state?.MovedTo != moved.ToString()) LogMoved(feed.Id, feed.Url, moved);

            var parsed = fetched.NotModified ? null : FeedParser.Parse(fetched);
            if (parsed is not null) parsed = parsed with { Entries = [.. parsed.Entries.Select(e => e.WithTrustedDate(now))] };
            if (parsed?.Repairs is { Count: > 0 } repairs) LogRepaired(feed.Id, string.Join("; ", repairs));
            var fingerprint = parsed is null ? state?.ItemsFingerprint : Fingerprint(parsed);
            var unchanged = parsed is null || !firstSight && fingerprint == state?.ItemsFingerprint;
            var outcome = unchanged
                ? new FeedOutcome(feed.Id, feed.Url.ToString(), parsed?.Entries.Count ?? 0, 0, 0, null) { NotModified = true }
                : await StoreAndEnqueueAsync(feed, config, matcher, parsed!, firstSight, dryRun, planned, budget.Token, cancellationToken);

            now = time.GetUtcNow();
            var keepLastSuccess = unchanged && state is { ConsecutiveFailures: 0, LastSuccessAt: { } last } && now - last < SuccessGranularity;
            // Items held back are new next time: nothing may say this version of the feed was read whole.
            var complete = outcome.HeldBack == 0;
            states.Set(feed.Id, new FeedState(state?.FirstSuccessAt ?? now, keepLastSuccess ? state!.LastSuccessAt : now, state?.LastErrorAt, state?.LastError, 0)
            {
                ETag = complete ? fetched.ETag : null,
                LastModified = complete ? fetched.LastModified : null,
                NextDueAt = complete ? FeedSchedule.NextAfterRead(feed.MinIntervalMinutes, fetched.FreshFor, now) : null,
                ItemsFingerprint = complete ? fingerprint : null,
                ArticlesStored = (state?.ArticlesStored ?? 0) + outcome.NewArticles,
                MovedTo = fetched.MovedTo?.ToString(),
                FirstReadPending = firstSight && !complete,
            });
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

    async Task<FeedOutcome> StoreAndEnqueueAsync(FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, ParsedFeed parsed, bool firstSight,
        bool dryRun, ConcurrentQueue<OutboxEntry>? planned, CancellationToken budget, CancellationToken cancellationToken)
    {
        var seen = await seenStore.LoadAsync(feed.Id, cancellationToken);
        var now = time.GetUtcNow();
        var fresh = new List<Article>();
        var edited = new List<FeedEntry>();
        var current = new HashSet<string>(StringComparer.Ordinal);
        var returned = 0;
        var heldBack = 0;
        string? heldBackReason = null;
        var limit = options.Value.MaxItemsPerFeed;

        // Newest first, so that when a feed has more new items than one sweep takes, the news goes out now and the
        // backlog follows in later sweeps.
        foreach (var entry in parsed.Entries.OrderByDescending(e => e.Published ?? DateTimeOffset.MinValue))
        {
            var id = Article.IdFor(entry.Key);
            if (current.Contains(id)) continue; // two keys that normalize to one story
            var known = seen.Items.GetValueOrDefault(id);
            var change = ItemChanges.Of(entry, known);
            if (change is ItemChange.Unchanged or ItemChange.Returned)
            {
                // Known and unchanged, or back after leaving the feed (a tombstone; never alerted again).
                current.Add(id);
                if (change == ItemChange.Returned) returned++;
                seen.Items[id] = known! with { LeftAt = null, Raw = entry.RawHash };
                continue;
            }
            // New or edited: work that costs writes and perhaps a page fetch, bounded per sweep in count and in time.
            heldBackReason ??= fresh.Count + edited.Count >= limit ? $"more than {limit} new or edited items (Syndication__MaxItemsPerFeed)"
                : budget.IsCancellationRequested ? $"its {options.Value.FeedBudgetSeconds} s budget ran out" : null;
            if (heldBackReason is not null) { heldBack++; continue; }
            current.Add(id);
            if (change == ItemChange.Edited)
            {
                edited.Add(entry);
                seen.Items[id] = known! with { Content = entry.ContentHash, LeftAt = null, Raw = entry.RawHash };
                continue;
            }
            FeedEntry complete;
            try
            {
                // Rules see the article's full text, so a keyword that appears only in the body still alerts.
                complete = await fullText.CompleteAsync(entry, feed.FullText, feed.Id, budget);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                current.Remove(id);
                heldBackReason = $"its {options.Value.FeedBudgetSeconds} s budget ran out";
                heldBack++;
                continue;
            }
            fresh.Add(ArticleMessages.Matched(feed.Id, complete, now, matcher));
            seen.Items[id] = new SeenItem(entry.ContentHash, now) { Raw = entry.RawHash };
        }

        // A feed seen for the first time alerts only its `backfill` newest matching items, so adding a feed never floods a
        // channel. Alerts already queued or sent for it count: a first read cut short by a crash or spread over several
        // sweeps still alerts no more than `backfill`.
        var matching = fresh.Where(a => a.Matches.Count > 0).OrderByDescending(a => a.Published ?? DateTimeOffset.MinValue).ToList();
        // Only channels a rule over this feed reaches can hold its alerts: two listings each, not two per channel.
        var alreadyAlerted = firstSight && feed.Backfill > 0 && matching.Count > 0
            ? await outbox.CountAlertedArticlesAsync(feed.Id, config.Rules.Where(r => config.Covers(r, feed.Id)).SelectMany(r => r.Channels).Distinct(), cancellationToken)
            : 0;
        var alerting = matching.Take(ItemChanges.MayAlert(matching.Count, firstSight, feed.Backfill, alreadyAlerted)).ToHashSet();

        var source = feed.Name ?? parsed.Title ?? feed.Id;
        var enqueued = 0;
        // One alert per story per channel across feeds: the alerting stories are claimed in each channel they go to (one
        // read and one write per channel), and a story that channel already had from another feed is not queued there.
        var repeats = new Dictionary<(string Article, string Channel), string>();
        foreach (var channel in alerting.SelectMany(a => a.Matches.SelectMany(m => m.Channels)).Distinct().Where(c => config.FindChannel(c) is not null))
        {
            var going = fresh.Where(a => alerting.Contains(a) && a.Matches.Any(m => m.Channels.Contains(channel))).ToList();
            var found = dryRun ? await recent.FindAsync(channel, going, cancellationToken) : await recent.ClaimAsync(channel, going, cancellationToken);
            foreach (var (article, original) in found) repeats[(article, channel)] = original;
        }

        foreach (var fresher in fresh)
        {
            var article = fresher;
            // Enqueue before storing: if the run stops in between, the article is still new next time and enqueuing again is a no-op.
            if (alerting.Contains(article))
            {
                var duplicateOf = repeats.Where(r => r.Key.Article == article.BlobName).ToDictionary(r => r.Key.Channel, r => r.Value, StringComparer.Ordinal);
                var queued = await EnqueueAsync(article, source, config, dryRun, planned, duplicateOf, cancellationToken);
                enqueued += queued;
                if (duplicateOf.Count > 0) article = article with { DuplicateOf = duplicateOf };
            }
            if (dryRun) continue;
            await articles.TryCreateAsync(article, cancellationToken);
            failpoints.Pass(Failpoint.ArticleStored);
        }

        foreach (var entry in edited)
        {
            var complete = await fullText.CompleteAsync(entry, feed.FullText, feed.Id, cancellationToken);
            var article = ArticleMessages.Matched(feed.Id, complete, now, matcher) with { UpdatedAt = now };
            enqueued += await EnqueueEditsAsync(article, source, entry.ContentHash, config, dryRun, planned, cancellationToken);
            if (!dryRun) await articles.ReplaceAsync(article, cancellationToken);
        }

        // Saved last: if the run stops before this, the next one sees the same items as new or edited, and every step is idempotent.
        seen.Settle(current, now, options.Value.SeenItemsPerFeed);
        if (!dryRun)
        {
            try
            {
                await seenStore.SaveAsync(feed.Id, seen, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another run read this feed at the same moment and wrote what it carried first: its record stands, and
                // the alerts queued here (each queued once, whoever queued it) still wake their channels.
                LogSeenByAnother(feed.Id);
            }
        }
        if (returned > 0) LogReturned(feed.Id, returned);
        return new FeedOutcome(feed.Id, feed.Url.ToString(), parsed.Entries.Count, fresh.Count, enqueued, null)
        {
            Updated = edited.Count,
            HeldBack = heldBack,
            HeldBackReason = heldBackReason,
            HeldByBackfill = matching.Count - alerting.Count,
        };
    }

    /// <summary>One outbox entry per channel, however many rules route the article there.</summary>
    /// <remarks>A channel in <paramref name="duplicateOf"/> already had this story from another feed: it gets nothing.</remarks>
    async Task<int> EnqueueAsync(Article article, string source, SyndicationConfig config, bool dryRun,
        ConcurrentQueue<OutboxEntry>? planned, IReadOnlyDictionary<string, string> duplicateOf, CancellationToken cancellationToken)
    {
        var enqueued = 0;
        foreach (var message in await MessagesAsync(article, source, config, cancellationToken))
        {
            if (duplicateOf.TryGetValue(message.Channel.Id, out var original))
            {
                LogDuplicate(article.BlobName, message.Channel.Id, original);
                continue;
            }
            var entry = new OutboxEntry(message.Channel.Id, message.Channel.Chat, article.BlobName, article.Published, time.GetUtcNow(), message.Matches.Select(m => m.RuleId).ToList(), message.Html)
            {
                Picture = message.Picture,
                Caption = message.Caption,
                DigestLine = message.DigestLine,
                FallbackHtml = message.FallbackHtml,
            };
            if (dryRun) { planned?.Enqueue(entry); enqueued++; continue; }
            if (await outbox.EnqueueAsync(entry, cancellationToken)) enqueued++;
            failpoints.Pass(Failpoint.AlertQueued);
        }
        return enqueued;
    }

    /// <summary>
    /// An edited story, for each channel where the channel or a matching rule says <c>onUpdate: edit</c>: a message already
    /// sent is queued for editing; an alert still waiting is rewritten to the new version. Nothing is sent anew.
    /// </summary>
    async Task<int> EnqueueEditsAsync(Article article, string source, string version, SyndicationConfig config, bool dryRun, ConcurrentQueue<OutboxEntry>? planned,
        CancellationToken cancellationToken)
    {
        var enqueued = 0;
        foreach (var (channel, matches, html, picture, caption, digestLine) in (await MessagesAsync(article, source, config, cancellationToken)).Select(m => (m.Channel, m.Matches, m.Html, m.Picture, m.Caption, m.DigestLine)))
        {
            var wantsEdit = channel.OnUpdate == OnUpdate.Edit || matches.Any(m => config.Rules.FirstOrDefault(r => r.Id == m.RuleId)?.OnUpdate == OnUpdate.Edit);
            if (!wantsEdit) continue;
            var original = OutboxEntry.NameFor(channel.Id, article.BlobName);
            var sent = await outbox.GetDeliveryAsync(original, cancellationToken);
            if (sent is { InDigest: true }) continue; // a digest holds other stories too: its message is not edited for one
            if (sent is not null)
            {
                // A photo's text is its caption: the edit changes that, within the caption's limit.
                var edit = new OutboxEntry(channel.Id, sent.Chat, article.BlobName, article.Published, time.GetUtcNow(), matches.Select(m => m.RuleId).ToList(), html)
                {
                    EditMessageId = sent.MessageId,
                    Version = version,
                    EditsCaption = sent.AsPhoto,
                    Caption = sent.AsPhoto ? caption ?? MessageFormatter.FormatChecked(article, source, matches, channel, MessageFormatter.MaxCaptionLength).Html : null,
                };
                if (dryRun) { planned?.Enqueue(edit); enqueued++; }
                else if (await outbox.EnqueueAsync(edit, cancellationToken)) enqueued++;
            }
            else if (!dryRun && await outbox.GetPendingAsync(original, cancellationToken) is { } pending)
            {
                await outbox.RecordFailureAsync(pending.Value with { Html = html, Picture = picture, Caption = caption, DigestLine = pending.Value.DigestLine is null ? null : digestLine }, pending.ETag, cancellationToken);
            }
        }
        return enqueued;
    }

    /// <summary>
    /// Each channel's message; a template that fails is reported and the built-in layout used instead. The article's
    /// picture is shown only if it passes the guard feeds pass: Telegram fetches it, and no alert points it inside a network.
    /// </summary>
    async Task<List<ChannelMessage>> MessagesAsync(Article article, string source, SyndicationConfig config, CancellationToken cancellationToken)
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
