using Syndication.Config;
using Syndication.Feeds;
using Syndication.Syntax;

namespace Syndication.Rules;

/// <summary>
/// Every enabled rule of a configuration compiled once: all their terms, and the channels' <c>noneOf</c> terms, go into
/// one <see cref="TermIndex"/>, so each article field is scanned once however many terms there are. A rule matches when
/// at least one <c>anyOf</c> term (if it has any) and every <c>allOf</c> term occur in its fields, and no <c>noneOf</c>
/// term does: exclusion always wins. A channel's <c>noneOf</c> is added to every rule that routes to it.
/// </summary>
public sealed class RuleMatcher
{
    sealed record CompiledRule(RuleDefinition Definition, int[] AnyOf, int[] AllOf, int[] NoneOf, (string ChannelId, int[] NoneOf)[] Channels);

    readonly SyndicationConfig config;
    readonly List<ParsedTerm> terms = [];
    readonly List<CompiledRule> rules = [];
    readonly TermIndex index;
    readonly List<int>[] rulesByPositiveTerm;
    readonly int[] rulesWithRegexPositives;
    readonly ArticleField fieldsInUse;

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyndicationConfig, RuleMatcher> Compiled = new();

    /// <summary>The matcher of a configuration, compiled once for as long as that configuration is in use.</summary>
    public static RuleMatcher For(SyndicationConfig config) => Compiled.GetValue(config, c => new RuleMatcher(c));

    public RuleMatcher(SyndicationConfig config)
    {
        this.config = config;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int[] Compile(IEnumerable<string> raw, bool caseSensitive) => raw
            .Select(r => TermSyntax.TryParse(r, caseSensitive, out _))
            .OfType<ParsedTerm>() // the config was validated; a term that cannot parse never reaches here
            .Select(t =>
            {
                if (!ids.TryGetValue(t.Key, out var id)) { ids[t.Key] = id = terms.Count; terms.Add(t); }
                return id;
            })
            .Distinct().ToArray();

        foreach (var rule in config.Rules.Where(r => r.Enabled))
        {
            var channels = rule.Channels.Distinct()
                .Select(c => (c, Compile(config.FindChannel(c)?.NoneOf ?? [], caseSensitive: false)))
                .ToArray();
            rules.Add(new CompiledRule(rule, Compile(rule.AnyOf, rule.CaseSensitive), Compile(rule.AllOf, rule.CaseSensitive), Compile(rule.NoneOf, rule.CaseSensitive), channels));
            fieldsInUse |= rule.Fields;
        }

        index = new TermIndex(terms.Select((t, i) => (i, t)));
        rulesByPositiveTerm = new List<int>[terms.Count];
        for (var r = 0; r < rules.Count; r++)
            foreach (var t in rules[r].AnyOf.Concat(rules[r].AllOf))
                (rulesByPositiveTerm[t] ??= []).Add(r);
        rulesWithRegexPositives = Enumerable.Range(0, rules.Count)
            .Where(r => rules[r].AnyOf.Concat(rules[r].AllOf).Any(t => terms[t].IsRegex)).ToArray();
    }

    public int TermCount => terms.Count;

    /// <summary>
    /// The rules that matched, with the terms and fields that made them match and the channels they route to.
    /// A null <paramref name="feedId"/> (an ad-hoc feed in a preview) counts as covered by every rule.
    /// </summary>
    public IReadOnlyList<ArticleMatch> Match(string? feedId, FeedEntry entry) =>
        Evaluate(feedId, entry, onlyRule: null, everyRule: false)
            .Where(v => v.Matched)
            .Select(v => new ArticleMatch(v.RuleId, v.Hits.Select(h => h.Term).Distinct().ToList(), v.Channels) { Hits = v.Hits, CaseSensitive = v.CaseSensitive, Parsed = v.HitTerms })
            .ToList();

    /// <summary>A verdict for every rule that looks at this feed (or just <paramref name="onlyRule"/>), matched or not.</summary>
    public IReadOnlyList<RuleVerdict> Explain(string? feedId, FeedEntry entry, string? onlyRule = null) =>
        Evaluate(feedId, entry, onlyRule, everyRule: true);

    List<RuleVerdict> Evaluate(string? feedId, FeedEntry entry, string? onlyRule, bool everyRule)
    {
        var hits = new ArticleHits(entry, index, fieldsInUse);

        IEnumerable<int> candidates = everyRule
            ? Enumerable.Range(0, rules.Count)
            // Only rules that share a term with the article can match: the rest are skipped without a look.
            : hits.WordTerms.SelectMany(t => rulesByPositiveTerm[t] ?? []).Concat(rulesWithRegexPositives).Distinct().Order();

        var verdicts = new List<RuleVerdict>();
        foreach (var r in candidates)
        {
            var rule = rules[r];
            if (onlyRule is not null && rule.Definition.Id != onlyRule) continue;
            if (feedId is not null && !config.Covers(rule.Definition, feedId)) continue;
            verdicts.Add(Judge(rule, hits));
        }
        return verdicts;
    }

    RuleVerdict Judge(CompiledRule rule, ArticleHits hits)
    {
        var fields = rule.Definition.Fields;
        TermHit? Find(int term) => hits.Find(term, terms[term], fields);

        var blocked = rule.NoneOf.Select(Find).OfType<TermHit>().ToList();
        var allOf = rule.AllOf.Select(t => (Term: terms[t], Hit: Find(t))).ToList();
        var anyOf = rule.AnyOf.Select(t => (Term: terms[t], Hit: Find(t))).Where(a => a.Hit is not null).ToList();
        var missing = allOf.Where(a => a.Hit is null).Select(a => a.Term.Raw).ToList();
        var noAnyOf = rule.AnyOf.Length > 0 && anyOf.Count == 0;
        var found = anyOf.Concat(allOf.Where(a => a.Hit is not null)).ToList();
        var hit = found.Select(a => a.Hit!).ToList();

        var channels = new List<string>();
        var channelBlocks = new List<ChannelBlock>();
        if (blocked.Count == 0 && missing.Count == 0 && !noAnyOf)
        {
            foreach (var (channelId, noneOf) in rule.Channels)
            {
                if (noneOf.Select(Find).OfType<TermHit>().FirstOrDefault() is { } by) channelBlocks.Add(new ChannelBlock(channelId, by));
                else channels.Add(channelId);
            }
        }
        var matched = channels.Count > 0;
        return new RuleVerdict(rule.Definition.Id, matched, hit, blocked, missing, noAnyOf, channels, channelBlocks, rule.Definition.CaseSensitive)
        {
            HitTerms = [.. found.Select(a => a.Term).Distinct()],
        };
    }
}
