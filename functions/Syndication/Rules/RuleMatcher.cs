using Syndication.Articles;
using Syndication.Config;
using Syndication.Feeds;

namespace Syndication.Rules;

/// <summary>
/// Matches entries against the editors' rules. A rule matches when at least one <c>anyOf</c> term (if it has any) and
/// every <c>allOf</c> term occur in the title, summary or text, and no <c>noneOf</c> term does: exclusion always wins.
/// </summary>
public sealed class RuleMatcher(IReadOnlyList<RuleDefinition> rules)
{
    public IReadOnlyList<ArticleMatch> Match(string feedId, FeedEntry entry)
    {
        string[] fields = [entry.Title, entry.Summary, entry.Text];
        var matches = new List<ArticleMatch>();
        foreach (var rule in rules)
        {
            if (!rule.AppliesTo(feedId)) continue;
            if (rule.NoneOf.Any(term => TermPattern.IsFoundIn(term, fields))) continue;

            var allOf = rule.AllOf.Where(term => TermPattern.IsFoundIn(term, fields)).ToList();
            if (allOf.Count < rule.AllOf.Count) continue;

            var anyOf = rule.AnyOf.Where(term => TermPattern.IsFoundIn(term, fields)).ToList();
            if (rule.AnyOf.Count > 0 && anyOf.Count == 0) continue;

            matches.Add(new ArticleMatch(rule.Id, [.. anyOf, .. allOf], rule.Channels));
        }
        return matches;
    }
}
