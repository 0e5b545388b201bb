using System.Text;
using Syndication.Feeds;

namespace Syndication.Articles;

/// <summary>
/// Cuts what is never the story out of an article page's HTML before Readability builds its tree: comments, scripts,
/// styles, icon sprites and templates (raw content a browser never shows as text), and the page's navigation, sidebars,
/// footers and forms, which Readability drops from the article it returns anyway. A real news page is mostly these (a
/// 145 KB padded copy of the Pakistan Today page keeps 12 KB), and Readability walks its tree many times, so its work
/// shrinks with them. One pass, no tree; an element whose end is missing is kept, so nothing is lost to broken markup.
/// </summary>
public static class PageChrome
{
    /// <summary>Elements whose content is raw text: it ends at the first matching end tag, whatever it holds.</summary>
    static readonly string[] Raw = ["script", "style", "noscript", "template", "iframe", "textarea"];

    /// <summary>Elements that hold markup: they end at their matching end tag, counting nested ones of the same name.</summary>
    static readonly string[] Nested = ["svg", "nav", "aside", "footer", "form"];

    static readonly string[] All = [.. Raw, .. Nested];

    public static string Remove(string html)
    {
        var text = html.AsSpan();
        StringBuilder? kept = null; // allocated at the first cut
        var copied = 0; // text before this index is in `kept`
        var i = 0;
        while ((i = IndexOf(text, '<', i)) >= 0)
        {
            var end = -1;
            if (text[i..].StartsWith("<!--"))
            {
                var close = text[(i + 4)..].IndexOf("-->");
                end = close < 0 ? -1 : i + 4 + close + 3;
            }
            else if (NameAt(text, i + 1) is { } name)
            {
                end = Array.IndexOf(Raw, name) >= 0 ? RawEnd(text, i, name) : NestedEnd(text, i, name);
            }
            if (end < 0)
            {
                i++;
                continue;
            }
            kept ??= new StringBuilder(html.Length / 4);
            kept.Append(text[copied..i]);
            copied = i = end;
        }
        return kept is null ? html : kept.Append(text[copied..]).ToString();
    }

    static int IndexOf(ReadOnlySpan<char> text, char c, int from)
    {
        var at = text[from..].IndexOf(c);
        return at < 0 ? -1 : from + at;
    }

    /// <summary>The name of a start tag at <paramref name="at"/>, if it is one this class cuts.</summary>
    static string? NameAt(ReadOnlySpan<char> text, int at)
    {
        foreach (var name in All)
            if (IsTag(text, at, name)) return name;
        return null;
    }

    /// <summary>Whether <paramref name="name"/> starts at <paramref name="at"/> as a whole tag name (case-insensitive).</summary>
    static bool IsTag(ReadOnlySpan<char> text, int at, string name)
    {
        if (at + name.Length >= text.Length || !text.Slice(at, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)) return false;
        var next = text[at + name.Length];
        return next is '>' or '/' || char.IsWhiteSpace(next);
    }

    /// <summary>Just past the end tag of a raw-text element opened at <paramref name="start"/>; -1 when it has none.</summary>
    static int RawEnd(ReadOnlySpan<char> text, int start, string name)
    {
        for (var i = IndexOf(text, '<', start + 1); i >= 0; i = IndexOf(text, '<', i + 1))
        {
            if (i + 1 < text.Length && text[i + 1] == '/' && IsTag(text, i + 2, name))
                return PlainText.TagEnd(text, i + 1);
        }
        return -1;
    }

    /// <summary>Just past the matching end tag of an element opened at <paramref name="start"/>; -1 when it has none.</summary>
    static int NestedEnd(ReadOnlySpan<char> text, int start, string name)
    {
        var open = PlainText.TagEnd(text, start + 1);
        if (open < 0) return -1;
        if (text[open - 2] == '/') return open; // <svg … />
        var depth = 1;
        for (var i = IndexOf(text, '<', open); i >= 0; i = IndexOf(text, '<', i + 1))
        {
            if (i + 1 < text.Length && text[i + 1] == '/' && IsTag(text, i + 2, name))
            {
                if (--depth == 0) return PlainText.TagEnd(text, i + 1);
            }
            else if (IsTag(text, i + 1, name))
            {
                depth++;
            }
        }
        return -1;
    }
}
