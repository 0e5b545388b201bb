using System.Net;
using System.Text;

namespace Syndication.Feeds;

/// <summary>
/// The fast path: HTML made only of text, inline elements and simple blocks, read in one pass without building a tree.
/// A differential test holds it to the tree's text.
/// </summary>
public static partial class PlainText
{
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
}
