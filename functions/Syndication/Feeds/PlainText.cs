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

    /// <summary>Elements that change nothing about where the text around them goes in a browser's tree.</summary>
    static readonly HashSet<string> Inline = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img", "ins", "kbd",
        "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
    };

    /// <summary>Blocks whose content a parser may move or keep as written (foster parenting, pre's first line break).</summary>
    static readonly HashSet<string> Rearranged = new(StringComparer.OrdinalIgnoreCase) { "table", "tr", "pre" };

    /// <summary>The <see cref="Inline"/> and <see cref="Blocks"/> elements that have no end tag.</summary>
    static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase) { "br", "img", "hr", "wbr" };

    /// <summary>
    /// The text of HTML made only of text, the <see cref="Inline"/> elements and the <see cref="Blocks"/> whose
    /// content an HTML parser never moves (no tables, no <c>pre</c>), and entities both decoders read alike; null for
    /// anything else (comments, scripts, unknown elements, legacy entities without ';'), which goes to the tree. For
    /// such HTML the tree's text is the text in document order with a line break at each block's start and end, which
    /// is what this one pass produces (a differential test holds the two to the same text over the feed corpus and
    /// 30,000 random documents).
    /// </summary>
    internal static string? FromSimpleHtml(string html)
    {
        var text = new StringBuilder(html.Length);
        StringBuilder? decoded = null;
        var open = new Stack<string>(); // end tags must close what is open, in order: a parser repairs anything else its own way
        for (var i = 0; i < html.Length;)
        {
            var lt = html.IndexOf('<', i);
            var end = lt < 0 ? html.Length : lt;
            if (end > i)
            {
                var run = html.AsSpan(i, end - i);
                if (run.IndexOfAny('&', '\0') < 0) AppendCollapsed(run, text);
                else
                {
                    (decoded ??= new StringBuilder()).Clear();
                    if (!TryDecode(run, decoded)) return null;
                    foreach (var chunk in decoded.GetChunks()) AppendCollapsed(chunk.Span, text);
                }
            }
            if (lt < 0) break;

            var j = lt + 1;
            var closing = j < html.Length && html[j] == '/';
            if (closing) j++;
            var nameStart = j;
            if (j >= html.Length || !char.IsAsciiLetter(html[j])) return null;
            while (j < html.Length && char.IsAsciiLetterOrDigit(html[j])) j++;
            if (j >= html.Length || !(html[j] is '>' or '/' || char.IsWhiteSpace(html[j]))) return null;
            // The set's own string for the name: no string per tag.
            var written = html.AsSpan(nameStart, j - nameStart);
            if ((j = TagEnd(html, j)) < 0) return null;
            string? name;
            if (BlockNames.TryGetValue(written, out name) && !Rearranged.Contains(name)) text.Append('\n');
            else if (!InlineNames.TryGetValue(written, out name)) return null;
            var isVoid = Void.Contains(name);
            if (closing && (isVoid || !open.TryPop(out var top) || !ReferenceEquals(top, name))) return null;
            if (!closing && ClosesImplicitly(name, open)) return null;
            if (!closing && !isVoid) open.Push(name);
            i = j;
        }
        return text.ToString();
    }

    static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> BlockNames = Blocks.GetAlternateLookup<ReadOnlySpan<char>>();
    static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> InlineNames = Inline.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Whether a parser would close open elements at this start tag (HTML's implied end tags): a block inside a
    /// <c>p</c>, a list item inside a list item, a heading inside a heading, a link inside a link. Such markup goes to the
    /// tree, which knows where each element really ends.
    /// </summary>
    static bool ClosesImplicitly(string name, Stack<string> open)
    {
        static bool Is(string a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase);
        static bool IsHeading(string n) => n.Length == 2 && n[0] is 'h' or 'H' && n[1] is >= '1' and <= '6';
        foreach (var element in open)
        {
            if (Is(element, "p") && Blocks.Contains(name) && !Is(name, "br")) return true;
            if (Is(name, "li") && Is(element, "li") || (Is(name, "dd") || Is(name, "dt")) && (Is(element, "dd") || Is(element, "dt"))) return true;
            if (IsHeading(name) && IsHeading(element) || Is(name, "a") && Is(element, "a")) return true;
        }
        return false;
    }

    /// <summary>Just past the '>' ending a tag whose name ends at <paramref name="from"/>, skipping quoted attribute values; -1 if none.</summary>
    internal static int TagEnd(ReadOnlySpan<char> html, int from)
    {
        for (var j = from; j < html.Length; j++)
        {
            switch (html[j])
            {
                case '>':
                    return j + 1;
                case '<':
                    return -1; // a tag inside a tag: let the parser decide
                case '=':
                    var k = j + 1;
                    while (k < html.Length && char.IsWhiteSpace(html[k])) k++;
                    if (k < html.Length && html[k] is '"' or '\'')
                    {
                        var close = html[(k + 1)..].IndexOf(html[k]);
                        if (close < 0) return -1;
                        j = k + 1 + close;
                    }
                    break;
            }
        }
        return -1;
    }

    /// <summary>
    /// Decodes character references that every HTML decoder reads the same: <c>&amp;name;</c> as <see cref="WebUtility"/>
    /// knows it, and numeric ones to characters a parser keeps as they are. False for anything else.
    /// </summary>
    static bool TryDecode(ReadOnlySpan<char> text, StringBuilder into)
    {
        while (true)
        {
            var stop = text.IndexOfAny('&', '\0');
            if (stop < 0)
            {
                into.Append(text);
                return true;
            }
            into.Append(text[..stop]);
            if (text[stop] == '\0') return false;
            text = text[stop..];
            if (text.Length < 2 || !(char.IsAsciiLetter(text[1]) || text[1] == '#'))
            {
                into.Append('&'); // a bare ampersand is text
                text = text[1..];
                continue;
            }
            var semicolon = text.IndexOf(';');
            if (semicolon < 0) return false;
            var reference = text[..(semicolon + 1)];
            if (reference[1] == '#')
            {
                var hex = reference.Length > 2 && reference[2] is 'x' or 'X';
                var digits = reference[(hex ? 3 : 2)..^1];
                if (digits.Length is 0 or > 6 || !int.TryParse(digits, hex ? System.Globalization.NumberStyles.AllowHexSpecifier : System.Globalization.NumberStyles.None,
                        System.Globalization.CultureInfo.InvariantCulture, out var code)) return false;
                if (!(code is 9 or 10 or 13 or (>= 0x20 and <= 0x7E) or (>= 0xA0 and <= 0xD7FF) or (>= 0xE000 and <= 0xFDCF) or (>= 0xFDF0 and <= 0xFFFD)
                    or (>= 0x10000 and <= 0x10FFFF)) || (code & 0xFFFE) == 0xFFFE) return false;
                into.Append(char.ConvertFromUtf32(code));
            }
            else
            {
                foreach (var n in reference[1..^1]) if (!char.IsAsciiLetterOrDigit(n)) return false;
                var name = reference.ToString();
                var value = WebUtility.HtmlDecode(name);
                if (value == name) return false; // not a name it knows: the parser may know it
                into.Append(value);
            }
            text = text[reference.Length..];
        }
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
