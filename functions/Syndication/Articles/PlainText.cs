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
    public static string OneLine(string? text) =>
        Whitespace().Replace(BidiControls().Replace((text ?? "").Replace('\n', ' ').Replace('\r', ' '), ""), " ").Trim();

    static void Append(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    // HTML collapses whitespace, line breaks included; only block elements start a new line.
                    text.Append(AnyWhitespace().Replace(t.Data, " "));
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

    static string Normalize(string text)
    {
        var lines = BidiControls().Replace(text, "").Replace('\u00A0', ' ').Split('\n')
            .Select(line => Whitespace().Replace(line, " ").Trim())
            .Where(line => line.Length > 0);
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex AnyWhitespace();

    /// <summary>
    /// Embeddings, overrides and isolates (U+202A–202E, U+2066–2069): a feed can use them to make a message read
    /// backwards or hide a link's end. Marks (LRM, RLM, ALM), which Urdu text needs, stay.
    /// </summary>
    [GeneratedRegex("[\u202A-\u202E\u2066-\u2069]")]
    private static partial Regex BidiControls();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"[ \t\r\f\v]+|\s{2,}")]
    private static partial Regex Whitespace();
}
