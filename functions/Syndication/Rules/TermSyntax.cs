using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Syndication.Rules;

/// <summary>
/// A term as an editor writes it: a word or phrase (<c>Haqqani network</c>), a prefix (<c>negotiat*</c>), or a .NET
/// regular expression between slashes (<c>/\bF-?16s?\b/</c>, or <c>/…/i</c> to ignore case).
/// </summary>
public sealed record ParsedTerm(string Raw, IReadOnlyList<string> Words, bool Prefix, bool CaseSensitive, Regex? Regex)
{
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

    /// <summary>Parses a term, or says in <paramref name="error"/> why it can never match.</summary>
    public static ParsedTerm? TryParse(string raw, bool caseSensitive, out string? error)
    {
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
            return new ParsedTerm(raw, [], false, !ignoreCase, regex);
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
