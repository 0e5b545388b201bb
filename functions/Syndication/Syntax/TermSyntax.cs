using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Syndication.Syntax;

/// <summary>
/// A term as an editor writes it: a word or phrase (<c>Haqqani network</c>), a prefix (<c>negotiat*</c>), or a .NET
/// regular expression between slashes (<c>/\bF-?16s?\b/</c>, or <c>/…/i</c> to ignore case).
/// </summary>
public sealed record ParsedTerm(string Raw, IReadOnlyList<string> Words, bool Prefix, bool CaseSensitive, Regex? Regex)
{
    /// <summary>What building the regular expression is estimated to cost, in KB (<see cref="RegexBudget.CostOf"/>); 0 for words.</summary>
    public int CostKb { get; init; }

    public bool IsRegex => Regex is not null;

    /// <summary>Two terms with the same key match exactly the same text, so they are compiled once.</summary>
    public string Key => IsRegex ? $"re:{Regex!.Options}:{Regex}" : $"{(CaseSensitive ? "cs" : "ci")}:{string.Join(' ', Words)}{(Prefix ? "*" : "")}";
}

public static partial class TermSyntax
{
    /// <summary>How long a regular expression that cannot run without backtracking may take on one field.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Terms already parsed: a configuration is loaded every run and its terms are read again by the matcher, the summary
    /// and the formatter, so each distinct term (a regex above all) is compiled once per process, not once per use.
    /// </summary>
    static readonly ConcurrentDictionary<(string Raw, bool CaseSensitive), (ParsedTerm? Term, string? Error)> Parsed = new();
    const int MaxCached = 50_000;

    /// <summary>
    /// Parses a term, or says in <paramref name="error"/> why it can never match. With a <paramref name="budget"/>, a regular
    /// expression is charged to it, and one the budget has no room for is not built at all: null, with no error (the
    /// budget tells the owner, <paramref name="owner"/>, by how much it is over).
    /// </summary>
    public static ParsedTerm? TryParse(string raw, bool caseSensitive, out string? error, RegexBudget? budget = null, string? owner = null)
    {
        if (budget is not null && RegexTerm().Match(raw.Trim()) is { Success: true } m && !budget.TryCharge(m.Groups["pattern"].Value, m.Groups["flags"].Value == "i", owner ?? ""))
        {
            error = null;
            return null;
        }
        if (Parsed.TryGetValue((raw, caseSensitive), out var cached))
        {
            error = cached.Error;
            return cached.Term;
        }
        if (Parsed.Count > MaxCached) Parsed.Clear();
        var term = ParseUncached(raw, caseSensitive, out error);
        Parsed[(raw, caseSensitive)] = (term, error);
        return term;
    }

    static ParsedTerm? ParseUncached(string raw, bool caseSensitive, out string? error)
    {
        error = null;
        var term = raw.Trim();
        if (RegexTerm().Match(term) is { Success: true } m)
            return ParseRegex(raw, m.Groups["pattern"].Value, ignoreCase: m.Groups["flags"].Value == "i", out error);

        var prefix = term.EndsWith('*');
        if (prefix) term = term[..^1];
        if (term.Contains('*'))
        {
            error = $"'*' may only end a term, as in 'negotiat*'; '{raw}' has one inside";
            return null;
        }

        using var tokens = WordTokens.Of(term, caseSensitive);
        var words = new string[tokens.Count];
        for (var i = 0; i < tokens.Count; i++) words[i] = tokens.Folded(i).ToString();
        if (words.Length == 0)
        {
            error = $"term '{raw}' can never match: it has no letters or digits once punctuation is ignored";
            return null;
        }
        if (prefix && !char.IsLetterOrDigit(term[^1]))
        {
            error = $"'*' must follow a letter or digit, as in 'negotiat*'; '{raw}' has it after punctuation or a space";
            return null;
        }
        return new ParsedTerm(raw, words, prefix, caseSensitive, null);
    }

    /// <summary>
    /// As in most languages, <c>/pattern/</c> is case-sensitive and <c>/pattern/i</c> ignores case. NonBacktracking keeps
    /// matching linear in the text; patterns it cannot run (lookarounds, backreferences) fall back to a timeout.
    /// </summary>
    static ParsedTerm? ParseRegex(string raw, string pattern, bool ignoreCase, out string? error)
    {
        error = null;
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        try
        {
            Regex regex;
            try
            {
                regex = new Regex(pattern, options | RegexOptions.NonBacktracking);
            }
            catch (NotSupportedException)
            {
                regex = new Regex(pattern, options, RegexTimeout);
            }
            if (regex.IsMatch(""))
            {
                error = $"regular expression /{pattern}/ matches empty text, so it would match every article";
                return null;
            }
            return new ParsedTerm(raw, [], false, !ignoreCase, regex) { CostKb = RegexBudget.CostOf(pattern, ignoreCase) };
        }
        catch (RegexParseException ex)
        {
            error = $"invalid regular expression /{pattern}/ at position {ex.Offset}: {Words(ex.Error.ToString())}";
            return null;
        }
    }

    /// <summary><c>InsufficientClosingParentheses</c> becomes "insufficient closing parentheses".</summary>
    static string Words(string pascalCase) => PascalWord().Replace(pascalCase, " $0").Trim().ToLowerInvariant();

    [GeneratedRegex(@"\p{Lu}")]
    private static partial Regex PascalWord();

    [GeneratedRegex(@"^/(?<pattern>.+)/(?<flags>i?)$", RegexOptions.Singleline)]
    private static partial Regex RegexTerm();
}

/// <summary>
/// What one configuration may spend on regular expressions. Each is built into an automaton that matches in linear time,
/// and building one costs memory and time at every load: about 1.1 MB and 8 ms for <c>/\b(IMF|World Bank)\b/i</c> (Unicode
/// word boundaries are the dear part), 0.2 MB for <c>/loan\d+/</c>. A configuration may hold 20,000 pattern characters and
/// an estimated 100 MB of them, so <c>check</c>, a sweep and every editor's command load it within a Flex instance's memory.
/// The estimate is a fixed function of the pattern, so a configuration <c>check</c> passes always loads. Words and phrases
/// cost nothing and need no budget.
/// </summary>
public sealed partial class RegexBudget
{
    public const int MaxPatternCharacters = 20_000;
    public const int MaxCostKb = 100 * 1024;

    readonly Dictionary<string, (int Refused, int RefusedKb)> over = new(StringComparer.Ordinal);
    readonly HashSet<(string, bool)> charged = [];

    public int PatternCharacters { get; private set; }
    public int CostKb { get; private set; }

    /// <summary>
    /// The estimated cost of building a pattern, in KB: a base, much more when it uses Unicode word classes (<c>\b</c>,
    /// <c>\w</c>), and a third more to ignore case. Measured on .NET 10's NonBacktracking engine, rounded up.
    /// </summary>
    public static int CostOf(string pattern, bool ignoreCase)
    {
        var cost = 250;
        if (WordClass().IsMatch(pattern)) cost += 700;
        if (ignoreCase || pattern.Contains("(?i", StringComparison.Ordinal)) cost = cost * 4 / 3;
        return cost;
    }

    /// <summary>Charges a pattern (each distinct one once); false, charging nothing, when it would go over the budget.</summary>
    public bool TryCharge(string pattern, bool ignoreCase, string owner)
    {
        if (charged.Contains((pattern, ignoreCase))) return true;
        var cost = CostOf(pattern, ignoreCase);
        if (PatternCharacters + pattern.Length > MaxPatternCharacters || CostKb + cost > MaxCostKb)
        {
            var (refused, refusedKb) = over.GetValueOrDefault(owner);
            over[owner] = (refused + 1, refusedKb + cost);
            return false;
        }
        charged.Add((pattern, ignoreCase));
        PatternCharacters += pattern.Length;
        CostKb += cost;
        return true;
    }

    /// <summary>By how much the terms of <paramref name="owner"/> went over, in words; null when they fit.</summary>
    public string? OverBy(string owner) => over.TryGetValue(owner, out var o) && o is var (refused, kb)
        ? $"{refused:N0} of its regular expressions do not fit (about {kb / 1024.0:N0} MB more to build, beyond the {MaxCostKb / 1024} MB and "
          + $"{MaxPatternCharacters:N0} pattern characters a configuration may hold; it already holds {CostKb / 1024.0:0.#} MB and {PatternCharacters:N0} characters). "
          + "Write plain words and phrases instead (\"World Bank\", negotiat*): they match the same way and cost nothing to add"
        : null;

    [GeneratedRegex(@"\\[bBwW]|\[:word:\]|\\p\{L")]
    private static partial Regex WordClass();
}
