using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Primitives;
using Syndication.Rules;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Telegram;

namespace Syndication.Editing;

/// <summary>The commands about feeds, article pages and stored articles, and the ones that look after dead letters.</summary>
public sealed partial class EditorCommands
{
    /// <summary>How many of the newest stored articles /test tries a rule against.</summary>
    public const int TestArticles = 200;

    async Task<Reply> FeedsAsync(SyndicationConfig config, CancellationToken cancellationToken)
    {
        var feeds = await status.FeedsAsync(config, cancellationToken);
        var text = new StringBuilder($"<b>{config.Feeds.Count} feeds</b>\n");
        foreach (var feed in config.Feeds)
        {
            var state = feeds.First(f => f.FeedId == feed.Id);
            var how = !feed.Enabled ? "paused"
                : state.Broken ? $"broken: {Cut(state.LastError ?? "", 100)}"
                : state.ConsecutiveFailures > 0 ? $"failing ×{state.ConsecutiveFailures}: {Cut(state.LastError ?? "", 100)}"
                : state.LastSuccessAt is { } ok ? $"read {When(ok)}" : "not read yet";
            text.Append(CultureInfo.InvariantCulture, $"\n<b>{Html(feed.Id)}</b> {Html(feed.Url.Host)}: {Html(how)}");
        }
        return new Reply(text.ToString());
    }

    Task<Reply> FeedEnabledAsync(EditorDefinition editor, CommandText command, bool enabled, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1) return Task.FromResult(Usage(command.Name));
        var id = command.Arguments[0];
        return ChangeAsync(editor, command, (root, config) => ConfigEdits.SetFeedEnabled(root, config, id, enabled), cancellationToken);
    }

    Task<Reply> RemoveFeedAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1) return Task.FromResult(Usage("removefeed"));
        var id = command.Arguments[0];
        return ChangeAsync(editor, command, (root, config) => ConfigEdits.RemoveFeed(root, config, id), cancellationToken);
    }

    async Task<Reply> AddFeedAsync(EditorDefinition editor, CommandText command, SyndicationConfig config, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count is < 1 or > 2) return Usage("addfeed");
        if (HttpAddresses.Parse(command.Arguments[0]) is not { } address)
            return new Reply($"“{Html(command.Arguments[0])}” is not an http:// or https:// address.");
        ParsedFeed parsed;
        try
        {
            (address, parsed) = await PageReadAsync(address, limit => fetcher.ReadFeedAsync(address, limit), cancellationToken);
        }
        catch (FeedFetchException ex)
        {
            return new Reply($"Not added: {Html(address.ToString())} could not be read as a feed: {Html(ex.Message)}");
        }
        var id = command.Arguments.Count == 2 ? command.Arguments[1] : IdFor(address);
        var newest = parsed.Entries.OrderByDescending(e => e.Published ?? DateTimeOffset.MinValue).Take(3).ToList();
        var reply = await ChangeAsync(editor, command, (root, config) => ConfigEdits.AddFeed(root, config, id, address), cancellationToken);
        if (!reply.Html.StartsWith("Done", StringComparison.Ordinal)) return reply;
        var text = new StringBuilder(reply.Html);
        text.Append(CultureInfo.InvariantCulture, $"\n\n<b>{Html(parsed.Title ?? id)}</b>, {parsed.Entries.Count} items. Newest:");
        foreach (var entry in newest)
            text.Append(CultureInfo.InvariantCulture, $"\n• {Html(Cut(entry.Title, 120))}{(entry.Published is { } p ? $" ({When(p)})" : "")}");
        text.Append('\n').Append(Html(ConfigEdits.AddedFeedNote(config, id)));
        return reply with { Html = text.ToString() };
    }

    TimeSpan PageReadLimit => fetcher.CommandReadLimit;

    /// <summary>Reads within <see cref="PageReadLimit"/>; a read cut short is a <see cref="FeedFetchException"/> that says so.</summary>
    async Task<T> PageReadAsync<T>(Uri address, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(PageReadLimit);
        try
        {
            return await read(limit.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or FeedFetchException && limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new FeedFetchException($"{address.Host} did not answer within {PageReadLimit.TotalSeconds:0} s", ex);
        }
    }

    /// <summary>An id from the feed's host: <c>https://www.dawn.com/feeds/home</c> → <c>dawn-com</c>, as an OPML import makes one for a feed without a title.</summary>
    static string IdFor(Uri address) => Opml.IdFor(null, address, new HashSet<string>());

    async Task<Reply> PreviewAsync(CommandText command, SyndicationConfig config, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1 || HttpAddresses.Parse(command.Arguments[0]) is not { } address)
            return Usage("preview");
        FeedEntry entry;
        string site;
        try
        {
            (entry, site) = await PageReadAsync(address, limit => fullText.ReadPageAsync(address, limit), cancellationToken);
        }
        catch (FeedFetchException ex)
        {
            return new Reply($"Could not read {Html(address.ToString())}: {Html(ex.Message)}");
        }
        var matcher = RuleMatcher.For(config);
        // Every rule, whatever feeds it names: the page is not from a feed.
        var (article, verdicts, messages) = ArticleMessages.Plan(null, entry, time.GetUtcNow(), matcher, config, site);
        var text = new StringBuilder($"<b>{Html(Cut(entry.Title, 200))}</b>\n");
        foreach (var verdict in verdicts.OrderByDescending(v => v.Matched).Take(15))
            text.Append(CultureInfo.InvariantCulture, $"\n{(verdict.Matched ? "✓" : "✗")} <b>{Html(verdict.RuleId)}</b>: {Html(Cut(Why(verdict), 200))}");
        if (messages.Count == 0) text.Append("\n\nNo channel would get it.");
        foreach (var message in messages)
            text.Append(CultureInfo.InvariantCulture, $"\n\n<b>{Html(message.Channel.Id)}</b> ({Html(message.Channel.Chat)}) would get:\n<blockquote>{message.Caption ?? message.Html}</blockquote>");
        return new Reply(text.ToString());
    }

    static string Why(RuleVerdict verdict) =>
        verdict.Matched || verdict.BlockedBy.Count > 0
            ? string.Join("; ", verdict.Hits.Concat(verdict.BlockedBy).Select(h => $"{(verdict.BlockedBy.Contains(h) ? "blocked by" : "hit")} '{h.Term}' in {h.Field}: {h.Snippet}"))
            : verdict.Reason ?? "";

    async Task<Reply> TestAsync(CommandText command, SyndicationConfig config, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1) return Usage("test");
        var rule = config.FindRule(command.Arguments[0]);
        if (rule is null) return new Reply(Html(NoRule(command.Arguments[0], config)));

        var read = await articles.NewestAsync(TestArticles, cancellationToken);

        // The rule alone, even while paused: what it would have sent.
        var matcher = RuleMatcher.For(config with { Rules = [rule with { Enabled = true, PausedUntil = null }] });
        var hits = read
            .Select(a => (Article: a, Matched: ArticleMessages.Matches(a, matcher)))
            .Where(x => x.Matched).Select(x => x.Article).OrderByDescending(a => a.Published ?? a.FetchedAt).ToList();
        var text = new StringBuilder($"<b>{Html(rule.Id)}</b> matches {hits.Count} of the {read.Count} newest stored articles");
        text.Append(hits.Count == 0 ? "." : ", for example:");
        foreach (var article in hits.Take(8))
            text.Append(CultureInfo.InvariantCulture, $"\n• {(Links.SafeLink(article.Link) is { } link ? $"<a href=\"{MessageFormatter.EscapeAttribute(link)}\">{Html(Cut(article.Title, 120))}</a>" : Html(Cut(article.Title, 120)))} ({Html(article.FeedId)}{(article.Published is { } p ? ", " + When(p) : "")})");
        return new Reply(text.ToString());
    }

    async Task<Reply> DeadLettersAsync(CancellationToken cancellationToken)
    {
        var all = await outbox.ListDeadLettersAsync(null, cancellationToken);
        // Subscribers' private chats are theirs: editors see only how many of their alerts were given up on.
        var letters = all.Where(l => Watches.Subscriber.ChatOf(l.Letter.Entry.ChannelId) is null).ToList();
        var personal = all.Count - letters.Count;
        var subscribers = personal > 0 ? $"\n{personal} more to subscribers' private chats, not shown." : "";
        if (letters.Count == 0) return new Reply(personal > 0 ? $"No dead letters in the channels.{subscribers}" : "No dead letters: every alert was sent or is still waiting.");
        var text = new StringBuilder($"<b>{letters.Count} dead letters</b>, newest first\n");
        foreach (var group in letters.GroupBy(l => l.Letter.Entry.ChannelId))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n<b>{Html(group.Key)}</b>: {group.Count()}");
            foreach (var (_, letter) in group.Take(3))
                text.Append(CultureInfo.InvariantCulture, $"\n  • {When(letter.At)}: {Html(Cut(letter.Reason, 150))}");
        }
        text.Append(subscribers);
        var buttons = letters.Select(l => l.Letter.Entry.ChannelId).Distinct().Take(6).Select(c => new ReplyButton($"Retry {c}", $"/retry {c}")).Chunk(2)
            .Select(row => (IReadOnlyList<ReplyButton>)row).ToList();
        return new Reply(text.ToString(), buttons);
    }

    async Task<Reply> RetryAsync(EditorDefinition editor, CommandText command, SyndicationConfig config, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count > 1) return Usage("retry");
        var channel = command.Arguments.FirstOrDefault();
        if (channel is not null && config.FindChannel(channel) is null)
            return new Reply(Html($"There is no channel '{channel}'{ConfigEdits.Hint(channel, config.Channels.Select(c => c.Id))}"));
        var (channels, sent) = await outbox.RetryDeadLettersAsync(channel, cancellationToken);
        var queued = channels.Values.Sum();
        logger.LogInformation("{Editor} queued {Queued} dead letters again{Channel} ({Sent} had been sent and were only cleared)", editor.Name, queued, channel is null ? "" : " for " + channel, sent);
        var woken = 0;
        foreach (var id in channels.Keys)
        {
            try
            {
                await queues.WakeAsync(WorkMessages.Write(new ChannelWake(id)), cancellationToken);
                woken++;
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or StorageUnavailableException)
            {
                // No queue here (a laptop without the Functions host): the next run's delivery sends them.
            }
        }
        return new Reply(queued + sent == 0
            ? $"No dead letters{(channel is null ? "" : $" for {Html(channel)}")}."
            : $"Queued {Counted.Of(queued, "alert")} again{(channel is null ? "" : $" for {Html(channel)}")}"
              + (sent > 0 ? $"; {sent} had been sent after all and were only cleared" : "")
              + (queued == 0 ? "." : woken > 0 ? ". They go out now." : ". They go out with the next delivery run."));
    }
}
