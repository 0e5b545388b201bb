using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Syndication.Feeds;

/// <summary>Turns the HTML that feeds carry into readable plain text: one paragraph a line, no markup, no scripts.</summary>
public static partial class PlainText
{
    static readonly HtmlParser Parser = new();

    static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
        { "script", "style", "noscript", "iframe", "template", "svg", "head" };

    static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr",
        "section", "article", "header", "footer", "aside", "figure", "figcaption", "hr", "dl", "dt", "dd", "main", "nav",
    };

    public static string FromHtml(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return "";
        if (!html.Contains('<') && !html.Contains('&')) return Normalize(html);
        // Tree building is quadratic in nesting depth; hostile markup nested thousands deep is stripped linearly instead,
        // as browsers cap DOM depth for the same reason.
        if (NestingDepth(html) > MaxDepth) return Normalize(WebUtility.HtmlDecode(AnyTag().Replace(html, "\n")));
        // Most feed HTML is paragraphs, links and emphasis: read in one pass, without building a document.
        return FromSimpleHtml(html) is { } simple ? Normalize(simple) : FromHtmlTree(html);
    }

    /// <summary>The text of any HTML, as a browser's tree holds it (AngleSharp).</summary>
    internal static string FromHtmlTree(string html)
    {
        using var document = Parser.ParseDocument(html);
        var text = new StringBuilder(html.Length);
        Append(document.Body ?? (INode)document, text);
        return Normalize(text.ToString());
    }

    /// <summary>Deeper element nesting than this is hostile or broken markup: no page or feed a person reads comes close.</summary>
    public const int MaxDepth = 512;

    // Void elements, plus p and li, whose end tags HTML lets authors leave out.
    static readonly HashSet<string> Unpaired = new(StringComparer.OrdinalIgnoreCase)
        { "br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed", "track", "param", "p", "li" };

    static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> UnpairedNames = Unpaired.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>A cheap upper bound of element nesting: opening tags minus closing tags, at their deepest.</summary>
    public static int NestingDepth(string html)
    {
        int depth = 0, deepest = 0;
        for (var i = html.IndexOf('<'); i >= 0 && i < html.Length - 1; i = html.IndexOf('<', i + 1))
        {
            var next = html[i + 1];
            if (next == '/') { depth--; continue; }
            if (!char.IsLetter(next)) continue;
            var end = html.IndexOf('>', i);
            if (end < 0) break;
            var name = html.AsSpan(i + 1, end - i - 1);
            var nameEnd = name.IndexOfAny(' ', '/', '\t');
            if (html[end - 1] == '/' || UnpairedNames.Contains(nameEnd < 0 ? name : name[..nameEnd])) continue;
            deepest = Math.Max(deepest, ++depth);
        }
        return deepest;
    }

    /// <summary>Text that is text already (Atom <c>type="text"</c>): lines kept, whitespace collapsed, nothing decoded or stripped.</summary>
    public static string FromText(string? text) => string.IsNullOrWhiteSpace(text) ? "" : Normalize(text);

    /// <summary>Decodes entities and collapses whitespace in a one-line field such as a title (RSS titles are text, but often entity-encoded).</summary>
    public static string FromTitle(string? title) => OneLine(WebUtility.HtmlDecode(title ?? ""));

    /// <summary>Text as one line: whitespace and line breaks collapsed, bidirectional overrides removed; nothing decoded.</summary>
    public static string OneLine(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var line = new StringBuilder(text.Length);
        CollapseLine(BidiControls().Replace(text, "").Replace('\n', ' ').Replace('\r', ' '), line);
        return line.ToString().Trim();
    }

    static void Append(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    // HTML collapses whitespace, line breaks included; only block elements start a new line.
                    AppendCollapsed(t.Data, text);
                    break;
                case IElement e when Skipped.Contains(e.LocalName):
                    break;
                case IElement e:
                    var block = Blocks.Contains(e.LocalName);
                    if (block) text.Append('\n');
                    Append(e, text);
                    if (block) text.Append('\n');
                    break;
            }
        }
    }

    /// <summary>Lines without empty ones, each with its spacing collapsed (<see cref="CollapseLine"/>) and trimmed.</summary>
    static string Normalize(string text)
    {
        var cleaned = BidiControls().Replace(text, "").Replace('\u00A0', ' ');
        var result = new StringBuilder(cleaned.Length + 1); // one chunk, so indexing it below is cheap
        foreach (var range in cleaned.AsSpan().Split('\n'))
        {
            // Each line is collapsed in place and trimmed there, without a string of its own.
            var before = result.Length;
            if (before > 0) result.Append('\n');
            var start = result.Length;
            CollapseLine(cleaned.AsSpan(range), result);
            var end = result.Length;
            while (end > start && char.IsWhiteSpace(result[end - 1])) end--;
            result.Length = end;
            var lead = start;
            while (lead < end && char.IsWhiteSpace(result[lead])) lead++;
            if (lead > start) result.Remove(start, lead - start);
            if (result.Length == start) result.Length = before; // an empty line, and its line break
        }
        return result.ToString();
    }

    /// <summary>Each run of whitespace (what <c>\s</c> matches) as one space: HTML's rule for the text of a page.</summary>
    static void AppendCollapsed(ReadOnlySpan<char> text, StringBuilder into)
    {
        // Runs of text are copied whole; each run of whitespace becomes one space.
        while (!text.IsEmpty)
        {
            var space = text.IndexOfAny(WhiteSpace);
            if (space < 0)
            {
                into.Append(text);
                return;
            }
            into.Append(text[..space]).Append(' ');
            var after = text[space..].IndexOfAnyExcept(WhiteSpace);
            if (after < 0) return;
            text = text[(space + after)..];
        }
    }

    /// <summary>Every character <see cref="char.IsWhiteSpace(char)"/> is true for.</summary>
    static readonly System.Buffers.SearchValues<char> WhiteSpace = System.Buffers.SearchValues.Create(
        "\t\n\v\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000");

    /// <summary>
    /// One line's spacing, as the pattern <c>[ \t\r\f\v]+|\s{2,}</c> replaced by a space would leave it (one pass, where
    /// the regex made one replacement per space): runs of ASCII spaces and tabs, and runs of two or more of any
    /// whitespace, become one space; a lone other space, such as an ideographic one, stays as it is.
    /// </summary>
    static void CollapseLine(ReadOnlySpan<char> line, StringBuilder into)
    {
        for (var i = 0; i < line.Length;)
        {
            var c = line[i];
            if (c is ' ' or '\t' or '\r' or '\f' or '\v')
            {
                while (i < line.Length && line[i] is ' ' or '\t' or '\r' or '\f' or '\v') i++;
                into.Append(' ');
            }
            else if (char.IsWhiteSpace(c))
            {
                var end = i;
                while (end < line.Length && char.IsWhiteSpace(line[end])) end++;
                if (end - i >= 2) into.Append(' ');
                else into.Append(c);
                i = end;
            }
            else
            {
                into.Append(c);
                i++;
            }
        }
    }

    /// <summary>
    /// Embeddings, overrides and isolates (U+202A–202E, U+2066–2069): a feed can use them to make a message read
    /// backwards or hide a link's end. Marks (LRM, RLM, ALM), which Urdu text needs, stay.
    /// </summary>
    [GeneratedRegex("[\u202A-\u202E\u2066-\u2069]")]
    private static partial Regex BidiControls();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();
}
