using System.Text.RegularExpressions;
using Syndication.Syntax;

namespace Syndication.Rules;

/// <summary>
/// Every word and phrase term compiled into one index, scanned once per text: each word of the text costs one hash
/// lookup (phrases and exact words, keyed by their first word) and, when prefix terms exist, one walk down a trie of
/// prefixes. The cost per text does not grow with the number of terms. Regular-expression terms run on their own.
/// </summary>
sealed class TermIndex
{
    /// <summary>A term whose first word is the dictionary key: the remaining words, and whether the last is a prefix.</summary>
    readonly record struct Entry(int TermId, string[] Words, bool Prefix);

    sealed class Side
    {
        public readonly Dictionary<string, List<Entry>> ByFirstWord = new(StringComparer.Ordinal);
        public Dictionary<string, Entry[]>.AlternateLookup<ReadOnlySpan<char>> Lookup;
        public Dictionary<string, Entry[]> Frozen = [];
        public readonly PrefixTrie Prefixes = new();
        public bool IsEmpty => ByFirstWord.Count == 0 && Prefixes.IsEmpty;
    }

    readonly Side folded = new(), exact = new();
    readonly List<(int TermId, Regex Regex)> regexes = [];

    public TermIndex(IEnumerable<(int TermId, ParsedTerm Term)> terms)
    {
        foreach (var (id, term) in terms)
        {
            if (term.Regex is { } regex) { regexes.Add((id, regex)); continue; }
            var side = term.CaseSensitive ? exact : folded;
            if (term.Words.Count == 1 && term.Prefix)
                side.Prefixes.Add(term.Words[0], id);
            else
            {
                if (!side.ByFirstWord.TryGetValue(term.Words[0], out var list)) side.ByFirstWord[term.Words[0]] = list = [];
                list.Add(new Entry(id, [.. term.Words], term.Prefix));
            }
        }
        foreach (var side in new[] { folded, exact })
        {
            side.Frozen = side.ByFirstWord.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
            side.Lookup = side.Frozen.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    public bool HasRegexes => regexes.Count > 0;

    /// <summary>Reports every occurrence of every word and phrase term in <paramref name="text"/> as (term, start, end).</summary>
    public void ScanWords(string text, Action<int, int, int> hit)
    {
        foreach (var side in new[] { folded, exact })
        {
            if (side.IsEmpty) continue;
            using var tokens = WordTokens.Of(text, caseSensitive: side == exact);
            for (var i = 0; i < tokens.Count; i++)
            {
                var word = tokens.Folded(i);
                if (side.Lookup.TryGetValue(word, out var entries))
                    foreach (var entry in entries)
                        if (Matches(entry, tokens, i) is var last and >= 0)
                            hit(entry.TermId, tokens[i].Start, tokens[last].End);
                if (!side.Prefixes.IsEmpty)
                    side.Prefixes.Walk(word, id => hit(id, tokens[i].Start, tokens[i].End));
            }
        }
    }

    /// <summary>
    /// Runs the regular-expression terms: the first match of each, or every match when <paramref name="all"/>. One that
    /// times out counts as no match rather than stalling the sweep.
    /// </summary>
    public void ScanRegexes(string text, Action<int, int, int> hit, bool all = false)
    {
        foreach (var (id, regex) in regexes)
        {
            try
            {
                for (var match = regex.Match(text); match.Success; match = all ? match.NextMatch() : Match.Empty)
                    if (match.Length > 0) hit(id, match.Index, match.Index + match.Length);
            }
            catch (RegexMatchTimeoutException)
            {
            }
        }
    }

    /// <summary>The index of the phrase's last token when the phrase starts at token <paramref name="first"/>, else -1.</summary>
    static int Matches(Entry entry, WordTokens tokens, int first)
    {
        var words = entry.Words;
        if (words.Length == 1) return entry.Prefix ? -1 : first; // single prefix words live in the trie
        if (first + words.Length > tokens.Count) return -1;
        for (var w = 1; w < words.Length; w++)
        {
            var token = tokens.Folded(first + w);
            var isLast = w == words.Length - 1;
            var ok = isLast && entry.Prefix ? token.StartsWith(words[w], StringComparison.Ordinal) : token.SequenceEqual(words[w]);
            if (!ok) return -1;
        }
        return first + words.Length - 1;
    }
}

/// <summary>Prefix terms by character, so a word finds every prefix of itself in one walk.</summary>
sealed class PrefixTrie
{
    sealed class Node
    {
        public Dictionary<char, Node>? Children;
        public List<int>? TermIds;
    }

    readonly Node root = new();
    public bool IsEmpty { get; private set; } = true;

    public void Add(string prefix, int termId)
    {
        var node = root;
        foreach (var c in prefix)
        {
            node.Children ??= [];
            if (!node.Children.TryGetValue(c, out var next)) node.Children[c] = next = new Node();
            node = next;
        }
        (node.TermIds ??= []).Add(termId);
        IsEmpty = false;
    }

    public void Walk(ReadOnlySpan<char> word, Action<int> hit)
    {
        var node = root;
        foreach (var c in word)
        {
            if (node.Children is null || !node.Children.TryGetValue(c, out node)) return;
            if (node.TermIds is { } ids) foreach (var id in ids) hit(id);
        }
    }
}
