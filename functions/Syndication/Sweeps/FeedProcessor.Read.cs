using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Telegram;

namespace Syndication.Sweeps;

/// <summary>What a feed read needs, read: the seen items, full texts, what was alerted and sent, each channel's message.</summary>
public sealed partial class FeedProcessor
{
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
            var article = ArticleMessages.Matched(feed.Id, complete, now, matcher) with { Source = source };
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
            ? await outbox.CountAlertedArticlesAsync(feed.Id, FeedPlanner.BackfillChannels(config, feed.Id), cancellationToken)
            : 0;
        var alerting = FeedPlanner.Alerting(matching, firstRead, feed.Backfill, alreadyAlerted).Select(a => a.BlobName).ToHashSet(StringComparer.Ordinal);
        // Only an article that alerts needs its messages (and its picture checked).
        var planned = new List<FreshArticle>();
        foreach (var article in fresh)
        {
            var alerts = alerting.Contains(article.BlobName);
            planned.Add(new FreshArticle(article, alerts, alerts ? await MessagesAsync(article, source, config, cancellationToken) : []));
        }
        if (scan.Returned > 0) LogReturned(feed.Id, scan.Returned);
        return new FeedWork(seen, scan, worked, planned, edits, heldBack, reason, now) { FirstRead = firstRead };
    }

    /// <summary>
    /// The new articles as their stories' outlets leave them (<see cref="FeedPlanner.WithStories"/>), when the configuration
    /// counts outlets: sorted into the story log (one read and one conditional write for the read), or, for a dry run,
    /// only compared with it. The messages of an article that changed are made again.
    /// </summary>
    async Task<FeedWork> WithStoriesAsync(FeedWork work, SyndicationConfig config, bool record, CancellationToken cancellationToken)
    {
        if (StoryOutlets.Window(config) is not { } window || work.Fresh.Count == 0) return work;
        var fresh = work.Fresh.Select(f => f.Article).ToList();
        var places = record ? await stories.RecordAsync(fresh, window, cancellationToken) : await stories.FindAsync(fresh, window, cancellationToken);
        var planned = new List<FreshArticle>();
        foreach (var (item, changed) in FeedPlanner.WithStories(work.Fresh, places, config, work.FirstRead))
        {
            if (record && item.Article.Story is { GrowingIn.Count: > 0 } story)
                LogGrowing(item.Article.BlobName, story.Outlets.Count, (int)Math.Round(story.Span.TotalMinutes), string.Join(", ", story.GrowingIn));
            planned.Add(changed && item.Alerts ? item with { Messages = await MessagesAsync(item.Article, item.Article.Source ?? item.Article.FeedId, config, cancellationToken) } : item);
        }
        return work with { Fresh = planned };
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
}
