using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Syndication.Articles;

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
            if (html[end - 1] == '/' || Unpaired.Contains((nameEnd < 0 ? name : name[..nameEnd]).ToString())) continue;
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
        var result = new StringBuilder(cleaned.Length);
        var line = new StringBuilder();
        foreach (var range in cleaned.AsSpan().Split('\n'))
        {
            line.Clear();
            CollapseLine(cleaned.AsSpan(range), line);
            var trimmed = line.ToString().Trim();
            if (trimmed.Length == 0) continue;
            if (result.Length > 0) result.Append('\n');
            result.Append(trimmed);
        }
        return result.ToString();
    }

    /// <summary>Each run of whitespace (what <c>\s</c> matches) as one space: HTML's rule for the text of a page.</summary>
    static void AppendCollapsed(string text, StringBuilder into)
    {
        var inRun = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inRun) into.Append(' ');
                inRun = true;
            }
            else
            {
                into.Append(c);
                inRun = false;
            }
        }
    }

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
