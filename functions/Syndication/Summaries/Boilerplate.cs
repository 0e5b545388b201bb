using System.Text.RegularExpressions;

namespace Syndication.Summaries;

/// <summary>
/// What in a feed's text is not the story, so a summary leaves it out: a teaser's "Read more »" or "Continue reading →"
/// tail, an excerpt's "[…]", WordPress's "The post … appeared first on …", and short calls to action ("Click here to watch
/// live »", "Follow us on …"), in English and Urdu. The stored article and what rules match keep the text as it was.
/// </summary>
public static partial class Boilerplate
{
    /// <summary>A call to action is short; a longer sentence that starts the same way is news.</summary>
    const int MaxCallToAction = 120;

    /// <summary>The text without teaser tails, and without lines that are only a call to action or a feed's footer.</summary>
    public static string Strip(string text)
    {
        if (text.Length == 0) return text;
        var lines = text.Split('\n').Select(StripLine).Where(l => l.Length > 0);
        return string.Join('\n', lines);
    }

    static string StripLine(string line)
    {
        if (PostAppearedFirst().IsMatch(line) || IsCallToAction(line)) return "";
        line = Excerpt().Replace(line, "…");
        var tail = Tail().Match(line);
        // "Read more" ends a teaser when a sentence ended before it, or when an arrow follows it; "we will read more" stays.
        if (tail.Success && (tail.Index == 0 || tail.Groups["arrow"].Success || SentenceEnd(line[..tail.Index].TrimEnd())))
            line = line[..tail.Index];
        return line.Trim();
    }

    static bool SentenceEnd(string text) => text.Length > 0 && text[^1] is '.' or '!' or '?' or '…' or '”' or '"' or '\'' or '’' or ')' or '۔' or '؟';

    /// <summary>A sentence or line that only asks the reader to do something: click, watch, subscribe, follow, join.</summary>
    public static bool IsCallToAction(string sentence)
    {
        var trimmed = sentence.Trim();
        return trimmed.Length is > 0 and <= MaxCallToAction && CallToAction().IsMatch(trimmed);
    }

    [GeneratedRegex(@"\s*\[\s*(?:…|\.\.\.|&hellip;)\s*\]\s*$")]
    private static partial Regex Excerpt();

    [GeneratedRegex(@"\s*(?:(?:read|see)\s+(?:more|the\s+(?:full|whole|rest\s+of\s+the)\s+(?:story|article|post|report))|continue\s+reading(?:\s+[“""‘']?[^.!?…“”""]{1,150}?[”""’']?)?|keep\s+reading|read\s+full\s+(?:story|article)|full\s+story|more\s+details|مزید\s+پڑھیں|مزید\s+پڑھیے|مزید\s+تفصیلات|مکمل\s+خبر\s+پڑھیں|پڑھنا\s+جاری\s+رکھیں)(?:\s+(?:at|on|in)\s+[^.!?…]{1,80}?)?\s*(?<arrow>»|›|→|>>|>|\.{3}|…)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Tail();

    [GeneratedRegex(@"^\s*The post .{1,300}? appeared first on .{1,200}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PostAppearedFirst();

    [GeneratedRegex(@"^(?:(?:click|tap)\s+(?:here|the\s+link)\b|(?:watch|listen)\s+(?:live|now|here|the\s+(?:video|live|full))\b|(?:subscribe|sign\s+up)\s+(?:to|for|now|here)\b|follow\s+(?:us|our)\b|(?:download|get)\s+(?:our|the)\s+(?:\w+\s+)?app\b|join\s+(?:us|our)\s+(?:on\s+)?\w*\s*(?:channel|group|whatsapp|telegram|community)\b|for\s+(?:more|the\s+latest)\s+(?:news|updates|stories)\b.*\b(?:follow|visit|click|subscribe|join)\b|یہاں\s+کلک\s+کریں|مزید\s+خبروں\s+کے\s+لیے|ہمیں\s+فالو\s+کریں|ہمارا\s+\S+\s+چینل\s+جوائن\s+کریں|لائیو\s+دیکھیں)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CallToAction();
}
