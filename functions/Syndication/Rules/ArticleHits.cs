using Syndication.Config;
using Syndication.Feeds;
using Syndication.Syntax;

namespace Syndication.Rules;

/// <summary>
/// The terms found in one article: every field a rule looks at is scanned once for all word and phrase terms up front;
/// regular expressions run only when a rule asks for them, once per field.
/// </summary>
sealed class ArticleHits
{
    const int SnippetContext = 50;

    readonly FeedEntry entry;
    readonly TermIndex index;
    readonly Dictionary<(int Term, ArticleField Field), (int Start, int End)> found = [];
    readonly HashSet<ArticleField> regexScanned = [];
    readonly HashSet<int> wordTerms = [];

    public ArticleHits(FeedEntry entry, TermIndex index, ArticleField fields)
    {
        this.entry = entry;
        this.index = index;
        foreach (var (_, field) in ArticleFields.All)
        {
            if ((fields & field) == 0) continue;
            var text = TextOf(field);
            if (text.Length == 0) continue;
            index.ScanWords(text, (term, start, end) =>
            {
                wordTerms.Add(term);
                found.TryAdd((term, field), (start, end));
            });
        }
    }

    /// <summary>The word and phrase terms found in any scanned field.</summary>
    public IEnumerable<int> WordTerms => wordTerms;

    /// <summary>The first field, in the order title, summary, text, author, categories, link, where the term occurs.</summary>
    public TermHit? Find(int term, ParsedTerm parsed, ArticleField fields)
    {
        foreach (var (name, field) in ArticleFields.All)
        {
            if ((fields & field) == 0) continue;
            if (parsed.IsRegex && regexScanned.Add(field))
            {
                var text = TextOf(field);
                if (text.Length > 0) index.ScanRegexes(text, (t, start, end) => found.TryAdd((t, field), (start, end)));
            }
            if (found.TryGetValue((term, field), out var at))
                return new TermHit(parsed.Raw, name, Snippet(TextOf(field), at.Start, at.End));
        }
        return null;
    }

    string TextOf(ArticleField field) => field switch
    {
        ArticleField.Title => entry.Title,
        ArticleField.Summary => entry.Summary,
        ArticleField.Text => entry.Text,
        ArticleField.Author => entry.Author ?? "",
        ArticleField.Categories => string.Join('\n', entry.Categories),
        ArticleField.Link => entry.Link ?? "",
        _ => "",
    };

    /// <summary>About 50 characters either side of the hit, cut at spaces, on one line, with the hit in [brackets].</summary>
    static string Snippet(string text, int start, int end)
    {
        var from = Math.Max(0, start - SnippetContext);
        var to = Math.Min(text.Length, end + SnippetContext);
        if (from > 0 && text.IndexOf(' ', from, start - from) is var space and >= 0) from = space + 1;
        if (to < text.Length && text.LastIndexOf(' ', to - 1, to - end) is var back and >= 0 && back >= end) to = back;
        var snippet = (from > 0 ? "…" : "") + text[from..start] + "[" + text[start..end] + "]" + text[end..to] + (to < text.Length ? "…" : "");
        return string.Join(' ', snippet.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
