using Syndication.Articles;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;

namespace Syndication.Telegram;

/// <summary>What an item comes to: the rules' verdicts, the article with its matches, and each channel's message.</summary>
public sealed record ArticlePlan(Article Article, IReadOnlyList<RuleVerdict> Verdicts, IReadOnlyList<ChannelMessage> Messages);

/// <summary>
/// The one path from an item to the messages channels get, taken by sweeps, <c>preview</c>, and the bot's <c>/preview</c>
/// and <c>/test</c>: the same matcher, the same article, the same formatter. Pure.
/// </summary>
public static class ArticleMessages
{
    /// <summary>The article an item becomes, with the rules it matches (only <paramref name="onlyRule"/>, when given).</summary>
    /// <param name="feedId">The feed it came from; null for a page that is not from a feed (every rule applies, whatever feeds it names).</param>
    public static Article Matched(string? feedId, FeedEntry entry, DateTimeOffset now, RuleMatcher matcher, string? onlyRule = null) =>
        Article.From(feedId ?? "preview", entry, now, [.. matcher.Match(feedId, entry).Where(m => onlyRule is null || m.RuleId == onlyRule)]);

    /// <summary>Whether a stored article matches a rule of <paramref name="matcher"/> now, read as its feed gave it.</summary>
    public static bool Matches(Article article, RuleMatcher matcher) => matcher.Match(article.FeedId, EntryOf(article)).Count > 0;

    /// <summary>A stored article as the feed item it was read from, for matching again.</summary>
    public static FeedEntry EntryOf(Article article) =>
        new(article.Key, article.Title, article.Link, article.Published, article.Author, article.Categories, article.Summary, article.Text);

    /// <summary>The whole plan for an item: verdicts, article, and the message each channel would get.</summary>
    public static ArticlePlan Plan(string? feedId, FeedEntry entry, DateTimeOffset now, RuleMatcher matcher, SyndicationConfig config, string source, string? onlyRule = null)
    {
        var article = Matched(feedId, entry, now, matcher, onlyRule);
        return new ArticlePlan(article, matcher.Explain(feedId, entry, onlyRule), [.. MessageFormatter.PerChannel(article, source, config)]);
    }
}
