using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Syndication.Rules;

/// <summary>
/// A keyword term as a regular expression: case-insensitive, on whole words (a letter, mark, digit or underscore may not
/// touch either end), with any run of whitespace, line breaks included, between the words of a phrase.
/// </summary>
public static class TermPattern
{
    const string WordChar = @"[\p{L}\p{M}\p{N}_]";
    static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    public static Regex For(string term) => Cache.GetOrAdd(term, static t =>
    {
        var words = t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape);
        // Terms are escaped literals, so the pattern cannot backtrack badly; the timeout is a backstop, not a limit.
        return new Regex($@"(?<!{WordChar}){string.Join(@"\s+", words)}(?!{WordChar})",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    });

    public static bool IsFoundIn(string term, params ReadOnlySpan<string> texts)
    {
        var pattern = For(term);
        foreach (var text in texts)
            if (pattern.IsMatch(text)) return true;
        return false;
    }
}
