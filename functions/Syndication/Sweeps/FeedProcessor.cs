using Azure;
using Microsoft.Extensions.Logging;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Telegram;

namespace Syndication.Sweeps;

/// <summary>
/// One feed's unit of work: fetch, parse, store, match, enqueue. Units share nothing but storage, so they can run side
/// by side, or later on different instances. A failure is recorded on the feed and never escapes to other feeds.
/// </summary>
public sealed partial class FeedProcessor(
    FeedFetcher fetcher, FullTextExtractor fullText, ArticleStore articles, FeedStateStore states, Outbox outbox, Failpoints failpoints, TimeProvider time, ILogger<FeedProcessor> logger)
{
    public async Task<FeedOutcome> ProcessAsync(FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, CancellationToken cancellationToken)
    {
        var state = await states.GetAsync(feed.Id, cancellationToken);
        if (state?.NextDueAt is { } due && due > time.GetUtcNow())
            return new FeedOutcome(feed.Id, feed.Url.ToString(), 0, 0, 0, null) { NotDueUntil = due, Broken = state.Broken };
        try
        {
            // Validators only count once the feed has been read whole; a feed that never succeeded is fetched in full.
            var fetched = state?.FirstSuccessAt is null
                ? await fetcher.FetchAsync(feed.Url, cancellationToken)
                : await fetcher.FetchAsync(feed.Url, cancellationToken, state.ETag, state.LastModified);
            if (fetched.NotModified && state is { ConsecutiveFailures: 0 } && feed.MinIntervalMinutes == 0)
            {
                // Nothing changed: no parsing, no listing, no blob write.
                LogNotModified(feed.Id);
                return new FeedOutcome(feed.Id, feed.Url.ToString(), 0, 0, 0, null) { NotModified = true };
            }
            var parsed = fetched.NotModified ? new ParsedFeed(null, []) : FeedParser.Parse(fetched);
            var outcome = await StoreAndEnqueueAsync(feed, config, matcher, parsed, firstSight: state?.FirstSuccessAt is null, cancellationToken);

            var now = time.GetUtcNow();
            await states.SaveAsync(feed.Id, new FeedState(state?.FirstSuccessAt ?? now, now, state?.LastErrorAt, state?.LastError, 0)
            {
                ETag = fetched.ETag,
                LastModified = fetched.LastModified,
                NextDueAt = feed.MinIntervalMinutes > 0 ? now.AddMinutes(feed.MinIntervalMinutes) : null,
            }, cancellationToken);
            outcome = outcome with { NotModified = fetched.NotModified, Recovered = state?.Broken == true };
            LogFetched(feed.Id, outcome.Items, outcome.NewArticles, outcome.Enqueued);
            return outcome;
        }
        catch (Exception ex) when (ex is FeedFetchException or RequestFailedException)
        {
            var reason = ex is RequestFailedException storage ? $"storage error {storage.Status} {storage.ErrorCode}: {storage.Message.Split('\n')[0]}" : ex.Message;
            LogFailed(feed.Id, feed.Url, reason);
            var failed = await TryRecordFailureAsync(feed, state, reason, ex as FeedFetchException, cancellationToken);
            return new FeedOutcome(feed.Id, feed.Url.ToString(), 0, 0, 0, reason) { Broken = failed.Broken, BrokeNow = failed.Broken && state?.Broken != true };
        }
    }

    async Task<FeedOutcome> StoreAndEnqueueAsync(
        FeedDefinition feed, SyndicationConfig config, RuleMatcher matcher, ParsedFeed parsed, bool firstSight, CancellationToken cancellationToken)
    {
        if (parsed.Entries.Count == 0) return new FeedOutcome(feed.Id, feed.Url.ToString(), 0, 0, 0, null);
        var known = await articles.ListBlobNamesAsync(feed.Id, cancellationToken);
        var fetchedAt = time.GetUtcNow();
        var fresh = new List<Article>();
        foreach (var entry in parsed.Entries.Where(e => !known.Contains(Article.BlobNameFor(feed.Id, e.Key))))
        {
            // Rules see the article's full text, so a keyword that appears only in the body still alerts.
            var complete = await fullText.CompleteAsync(entry, feed.FullText, feed.Id, cancellationToken);
            fresh.Add(Article.From(feed.Id, complete, fetchedAt, matcher.Match(feed.Id, complete)));
        }

        // A feed seen for the first time alerts only its `backfill` newest matching items, so adding a feed never floods a channel.
        var alerting = firstSight
            ? fresh.Where(a => a.Matches.Count > 0).OrderByDescending(a => a.Published ?? DateTimeOffset.MinValue).Take(feed.Backfill).ToHashSet()
            : fresh.Where(a => a.Matches.Count > 0).ToHashSet();

        var source = feed.Name ?? parsed.Title ?? feed.Id;
        var enqueued = 0;
        foreach (var article in fresh)
        {
            // Enqueue before storing: if the run stops in between, the article is still new next time and enqueuing again is a no-op.
            if (alerting.Contains(article))
                enqueued += await EnqueueAsync(article, source, config, cancellationToken);
            await articles.TryCreateAsync(article, cancellationToken);
            failpoints.Pass(Failpoint.ArticleStored);
        }
        return new FeedOutcome(feed.Id, feed.Url.ToString(), parsed.Entries.Count, fresh.Count, enqueued, null);
    }

    /// <summary>One outbox entry per channel, however many rules route the article there.</summary>
    async Task<int> EnqueueAsync(Article article, string source, SyndicationConfig config, CancellationToken cancellationToken)
    {
        var enqueued = 0;
        foreach (var (channel, matches, html) in MessageFormatter.PerChannel(article, source, config))
        {
            var entry = new OutboxEntry(channel.Id, channel.Chat, article.BlobName, article.Published, time.GetUtcNow(), matches.Select(m => m.RuleId).ToList(), html);
            if (await outbox.EnqueueAsync(entry, cancellationToken)) enqueued++;
            failpoints.Pass(Failpoint.AlertQueued);
        }
        return enqueued;
    }

    /// <summary>
    /// Records the failure and when to try again: 5 minutes after the first, doubling up to 24 hours, or later if the
    /// server said so (Retry-After). After <see cref="BrokenAfter"/> failures in a row, or a 410 Gone, the feed is broken.
    /// </summary>
    async Task<FeedState> TryRecordFailureAsync(FeedDefinition feed, FeedState? state, string reason, FeedFetchException? fetch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var failures = (state?.ConsecutiveFailures ?? 0) + 1;
        var backoff = TimeSpan.FromMinutes(Math.Min(24 * 60, 5 * Math.Pow(2, Math.Min(failures - 1, 10))));
        if (fetch?.RetryAfter is { } retryAfter && retryAfter > backoff) backoff = retryAfter;
        var failed = new FeedState(state?.FirstSuccessAt, state?.LastSuccessAt, now, reason, failures)
        {
            ETag = state?.ETag,
            LastModified = state?.LastModified,
            NextDueAt = now + backoff,
            Broken = failures >= BrokenAfter || fetch?.StatusCode == 410 || state?.Broken == true,
        };
        try
        {
            await states.SaveAsync(feed.Id, failed, cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            LogStateNotSaved(feed.Id, ex.Message.Split('\n')[0]);
        }
        return failed;
    }

    /// <summary>Consecutive failures after which a feed is reported as broken.</summary>
    public const int BrokenAfter = 10;

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: not modified since the last fetch")]
    partial void LogNotModified(string feedId);

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: {Items} items, {NewArticles} new, {Enqueued} alerts queued")]
    partial void LogFetched(string feedId, int items, int newArticles, int enqueued);

    [LoggerMessage(LogLevel.Warning, "Feed {FeedId} ({Url}) failed: {Reason}")]
    partial void LogFailed(string feedId, Uri url, string reason);

    [LoggerMessage(LogLevel.Warning, "Feed {FeedId}: could not record the failure in feed state: {Reason}")]
    partial void LogStateNotSaved(string feedId, string reason);
}
