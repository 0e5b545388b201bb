using System.Text.RegularExpressions;

namespace Syndication.Tests.Infrastructure;

/// <summary>
/// Checks text the way the Bot API's HTML parse mode does (https://core.telegram.org/bots/api#html-style): only the
/// supported tags, balanced; every other &lt;, &gt; and &amp; escaped; only &amp;lt; &amp;gt; &amp;amp; &amp;quot; and numeric entities.
/// Returns the error Telegram would give, or null when the message would parse.
/// </summary>
static partial class TelegramHtml
{
    static readonly HashSet<string> Allowed =
        ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"];

    public static string? Validate(string html)
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
                        var name = tag[1..].Trim();
                        if (open.Count == 0 || open.Pop() != name) return $"can't parse entities: unmatched end tag \"{name}\" at byte offset {i}";
                    }
                    else
                    {
                        var match = StartTag().Match(tag);
                        if (!match.Success || !Allowed.Contains(match.Groups[1].Value))
                            return $"can't parse entities: unsupported start tag \"{tag}\" at byte offset {i}";
                        var name = match.Groups[1].Value;
                        if (name == "a" && !Href().IsMatch(tag))
                            return $"can't parse entities: a tag without href at byte offset {i}";
                        if (name == "span" && !tag.Contains("class=\"tg-spoiler\""))
                            return $"can't parse entities: unsupported start tag \"{tag}\" at byte offset {i}";
                        // "Formatting options": pre and code contain nothing else (but pre its code); blockquotes do not
                        // nest; links, code and pre do not contain each other.
                        if (open.Any(o => o == "code" || o == "pre" && !(name == "code" && open.Peek() == "pre"))
                            || name == "blockquote" && open.Contains("blockquote")
                            || name is "a" or "code" or "pre" && open.Contains("a"))
                            return $"can't parse entities: can't nest \"{name}\" in \"{open.Peek()}\" at byte offset {i}";
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

    /// <summary>What a subscriber sees: tags removed, entities decoded.</summary>
    public static string ToPlain(string html) => System.Net.WebUtility.HtmlDecode(Tags().Replace(html, ""));

    [GeneratedRegex(@"^([a-z-]+)(\s+[a-z-]+=""[^""]*"")*\s*$")]
    private static partial Regex StartTag();

    [GeneratedRegex(@"href=""https?://[^""]+""")]
    private static partial Regex Href();

    [GeneratedRegex(@"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")]
    private static partial Regex Entity();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
