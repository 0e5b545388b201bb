using System.Text.RegularExpressions;
using Syndication.Config;
using Syndication.Feeds;

namespace Syndication.Benchmarks;

/// <summary>
/// The baseline: one case-insensitive whole-word <see cref="Regex"/> per term, run over each field, the way miniflux's
/// filters (and this project's first matcher) work.
/// </summary>
sealed class NaiveMatcher
{
    const string WordChar = @"[\p{L}\p{M}\p{N}_]";
    readonly List<(string RuleId, Regex[] AnyOf)> rules;

    public NaiveMatcher(SyndicationConfig config) =>
        rules = config.Rules.Select(r => (r.Id, r.AnyOf.Select(Compile).ToArray())).ToList();

    static Regex Compile(string term)
    {
        var words = term.TrimEnd('*').Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape);
        var tail = term.EndsWith('*') ? "" : $"(?!{WordChar})";
        return new Regex($@"(?<!{WordChar}){string.Join(@"\s+", words)}{tail}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    public List<string> Match(FeedEntry entry)
    {
        string[] fields = [entry.Title, entry.Summary, entry.Text];
        return rules.Where(r => r.AnyOf.Any(re => fields.Any(re.IsMatch))).Select(r => r.RuleId).ToList();
    }
}
