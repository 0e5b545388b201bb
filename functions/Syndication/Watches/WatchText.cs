using System.Text;
using Syndication.Config;
using Syndication.Syntax;

namespace Syndication.Watches;

/// <summary>
/// A person's watch, as they typed it after <c>/watch</c> and as the rule language reads it: the words or phrases an
/// article must carry (all of them), the ones it must not (<c>-cricket</c>), and the feeds it is read in
/// (<c>feed:dawn</c>, <c>tag:economy</c>; every feed when none is named). A watch is a rule whose channel is the
/// person's private chat (<see cref="ToRule"/>), so it matches exactly as an editor's rule with the same terms would.
/// </summary>
public sealed record Watch(string Text, IReadOnlyList<string> Terms, IReadOnlyList<string> Excluded, IReadOnlyList<string> Scopes)
{
    /// <summary>The longest watch, as typed.</summary>
    public const int MaxLength = 200;

    /// <summary>The most watches one person keeps.</summary>
    public const int MaxPerPerson = 20;

    /// <summary>The rule this watch is: one term is the rule's <c>anyOf</c>, several are its <c>allOf</c>.</summary>
    public RuleDefinition ToRule(string id, string channelId) =>
        new(id, [channelId], Scopes.Count > 0 ? Scopes : null, Terms.Count == 1 ? Terms : [], Terms.Count == 1 ? [] : Terms, Excluded);
}

/// <summary>What reading a watch gave: the watch, or why it was refused, in words for the person who typed it.</summary>
public abstract record WatchParse
{
    private WatchParse() { }

    public sealed record Read(Watch Watch) : WatchParse;

    public sealed record Refused(string Reason) : WatchParse;
}

/// <summary>Reads what a person typed after <c>/watch</c>, checked against the configuration's feeds and tags.</summary>
public static class WatchText
{
    const string Example = "such as /watch Kayani, /watch \"Haqqani network\" -cricket or /watch IMF feed:dawn";

    public static WatchParse Parse(string text, SyndicationConfig config)
    {
        text = text.Trim();
        if (text.Length == 0) return new WatchParse.Refused($"Tell me what to watch, {Example}.");
        if (text.Length > Watch.MaxLength)
            return new WatchParse.Refused($"A watch is at most {Watch.MaxLength} characters; this one has {text.Length}. Keep its key words.");

        var (terms, excluded, scopes) = (new List<ParsedTerm>(), new List<ParsedTerm>(), new List<string>());
        foreach (var (word, negated, quoted) in Tokens(text))
        {
            if (!quoted && !negated && Scope(word, config) is { } scope)
            {
                if (scope.Error is { } error) return new WatchParse.Refused(error);
                if (!scopes.Contains(scope.Value!)) scopes.Add(scope.Value!);
                continue;
            }
            if (word.Length == 0 && quoted && !negated) continue; // "" looks for nothing
            if (word.Length == 0) return new WatchParse.Refused($"'-' needs a word or a phrase after it, such as -cricket or -\"cricket match\".");
            var term = TermSyntax.TryParse(word, caseSensitive: false, out var problem);
            // A pattern can cost a configuration's whole budget for regular expressions: editors write those, in rules.
            if (term is { IsRegex: true } || !quoted && word[0] == '/')
                return new WatchParse.Refused($"'{word}' is a pattern; patterns are for editors' rules. Watch words and phrases, {Example}.");
            if (term is null) return new WatchParse.Refused($"'{word}' can never match: {problem}");
            var into = negated ? excluded : terms;
            if (!into.Any(t => t.Key == term.Key)) into.Add(term);
        }
        if (terms.Count == 0)
            return new WatchParse.Refused($"A watch needs at least one word or phrase to look for, not only ones to leave out, {Example}.");
        if (terms.FirstOrDefault(t => excluded.Any(x => x.Key == t.Key)) is { } both)
            return new WatchParse.Refused($"'{both.Raw}' is both looked for and left out, so this watch could never match; remove one of them.");
        return new WatchParse.Read(new Watch(text, [.. terms.Select(t => t.Raw)], [.. excluded.Select(t => t.Raw)], scopes));
    }

    /// <summary><c>feed:id</c> or <c>tag:name</c>, as a rule's <c>feeds</c> entry, or why it names nothing; null when the word is no scope.</summary>
    static (string? Value, string? Error)? Scope(string word, SyndicationConfig config)
    {
        if (word.StartsWith("feed:", StringComparison.OrdinalIgnoreCase))
        {
            var id = word[5..];
            var known = config.Feeds.Select(f => f.Id).ToList();
            if (known.FirstOrDefault(k => string.Equals(k, id, StringComparison.OrdinalIgnoreCase)) is { } found) return (found, null);
            return (null, id.Length == 0
                ? $"'feed:' needs a feed's name, one of {Names(known)}."
                : $"There is no feed '{id}'" + OrList(ConfigParser.Suggest(id, known), "feeds", known));
        }
        if (word.StartsWith("tag:", StringComparison.OrdinalIgnoreCase))
        {
            var tag = word[4..];
            var known = config.Feeds.SelectMany(f => f.Tags ?? []).Distinct(StringComparer.Ordinal).ToList();
            if (known.FirstOrDefault(k => string.Equals(k, tag, StringComparison.OrdinalIgnoreCase)) is { } found) return (SyndicationConfig.TagPrefix + found, null);
            return (null, known.Count == 0
                ? "No feed has a tag here; watch all feeds, or name one with feed:."
                : $"No feed has the tag '{tag}'" + OrList(ConfigParser.Suggest(tag, known), "tags", known));
        }
        return null;
    }

    /// <summary>"; did you mean 'x'?" when one is near, else the list of what there is.</summary>
    static string OrList(string suggestion, string what, IReadOnlyList<string> known) =>
        suggestion.Length > 0 ? suggestion : $"; the {what} are {Names(known)}.";

    static string Names(IReadOnlyList<string> names) =>
        names.Count <= 12 ? string.Join(", ", names) : string.Join(", ", names.Take(12)) + $" and {names.Count - 12} more";

    /// <summary>Words and phrases in straight or curly double quotes, each with a leading '-' for leaving it out.</summary>
    static IEnumerable<(string Word, bool Negated, bool Quoted)> Tokens(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            var negated = text[i] == '-';
            if (negated) i++;
            if (i < text.Length && text[i] is '"' or '“')
            {
                var close = text[i] == '“' ? '”' : '"';
                var end = text.IndexOfAny(close == '"' ? ['"', '”'] : [close], i + 1);
                if (end < 0) end = text.Length;
                yield return (text[(i + 1)..end].Trim(), negated, true);
                i = end + 1;
                continue;
            }
            var word = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i])) word.Append(text[i++]);
            yield return (word.ToString(), negated, false);
        }
    }
}
