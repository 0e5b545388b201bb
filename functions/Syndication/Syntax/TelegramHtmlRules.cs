using System.Text.RegularExpressions;

namespace Syndication.Syntax;

/// <summary>
/// The Bot API's HTML parse mode, as its documentation states it (https://core.telegram.org/bots/api#html-style and
/// "formatting options"): only its tags, each with only its attributes (<c>span</c> only as <c>class="tg-spoiler"</c>,
/// <c>a</c> with an <c>href</c>, <c>tg-emoji</c> with an <c>emoji-id</c>); tags balanced; bold, italic, underline,
/// strikethrough and spoiler may go inside or around anything but <c>pre</c> and <c>code</c>; a blockquote is never
/// inside another; links, code and pre never contain each other (but <c>pre</c> may hold one <c>code</c>, for its
/// language). Returns Telegram's words for the first problem, or null when the text would parse. Pure.
/// </summary>
public static partial class TelegramHtmlRules
{
    static readonly HashSet<string> Styles = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "span"];
    static readonly HashSet<string> Tags = [.. Styles, "a", "code", "pre", "blockquote", "tg-emoji"];

    public static string? Problem(string html)
    {
        var open = new Stack<string>();
        for (var i = 0; i < html.Length; i++)
        {
            switch (html[i])
            {
                case '<':
                    var end = html.IndexOf('>', i);
                    if (end < 0) return $"can't parse entities: unclosed start tag at byte offset {i}";
                    var tag = html[(i + 1)..end];
                    if (tag.StartsWith('/'))
                    {
                        var name = tag[1..].Trim().ToLowerInvariant();
                        if (open.Count == 0 || open.Pop() != name) return $"can't parse entities: unmatched end tag \"{name}\" at byte offset {i}";
                    }
                    else
                    {
                        var match = StartTag().Match(tag);
                        var name = match.Success ? match.Groups["name"].Value.ToLowerInvariant() : tag;
                        if (!match.Success || !Tags.Contains(name)) return $"can't parse entities: unsupported start tag \"{tag}\" at byte offset {i}";
                        var attributes = match.Groups["attribute"].Captures.Select(c => c.Value.Trim()).ToList();
                        if (AttributeProblem(name, attributes) is { } problem) return $"can't parse entities: {problem} at byte offset {i}";
                        if (NestingProblem(name, open) is { } nesting) return $"can't parse entities: {nesting} at byte offset {i}";
                        open.Push(name);
                    }
                    i = end;
                    break;
                case '>':
                    return $"can't parse entities: unexpected '>' at byte offset {i}";
                case '&':
                    var entity = Entity().Match(html, i);
                    if (!entity.Success || entity.Index != i) return $"can't parse entities: unsupported entity at byte offset {i}";
                    break;
            }
        }
        return open.Count > 0 ? $"can't parse entities: unclosed tag \"{open.Peek()}\"" : null;
    }

    static string? AttributeProblem(string name, List<string> attributes) => name switch
    {
        "span" when !attributes.Any(a => a.Replace('\'', '"') == "class=\"tg-spoiler\"") => "a span must be class=\"tg-spoiler\"",
        "a" when !attributes.Any(a => a.StartsWith("href=", StringComparison.OrdinalIgnoreCase)) => "a link without href",
        "tg-emoji" when !attributes.Any(a => a.StartsWith("emoji-id=", StringComparison.OrdinalIgnoreCase)) => "a tg-emoji without emoji-id",
        _ => null,
    };

    static string? NestingProblem(string name, Stack<string> open)
    {
        foreach (var outer in open)
        {
            if (outer is "code" || outer is "pre" && !(name == "code" && open.Peek() == "pre"))
                return $"<{name}> inside <{outer}>, which can contain no other entity";
            if (name == "blockquote" && outer == "blockquote") return "a blockquote inside a blockquote";
            if (name is "a" or "code" or "pre" or "tg-emoji" && outer is "a" or "tg-emoji") return $"<{name}> inside <{outer}>";
        }
        return null;
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z][A-Za-z0-9-]*)(?<attribute>\s+[A-Za-z-]+(=(""[^""]*""|'[^']*'|[^\s""'=]+))?)*\s*/?$")]
    private static partial Regex StartTag();

    [GeneratedRegex(@"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")]
    private static partial Regex Entity();
}
