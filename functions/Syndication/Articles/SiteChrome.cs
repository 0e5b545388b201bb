using System.Text.RegularExpressions;

namespace Syndication.Articles;

/// <summary>
/// Lines that belong to the site, not the story: share prompts, "related posts" lists, subscription nags, and the
/// trailing furniture of mobile themes such as "Exit mobile version".
/// </summary>
public static partial class SiteChrome
{
    public static string Remove(string text, string title)
    {
        var lines = text.Split('\n').ToList();

        // Everything from a "Related posts" style heading on is a list of other stories.
        var related = lines.FindIndex(l => RelatedHeading().IsMatch(l));
        if (related > 0) lines.RemoveRange(related, lines.Count - related);

        lines.RemoveAll(l => ChromeLine().IsMatch(l));
        if (lines.Count > 0 && string.Equals(lines[0].Trim(), title.Trim(), StringComparison.OrdinalIgnoreCase)) lines.RemoveAt(0);

        // Short lines without sentence punctuation at the very end are the site's footer, not the story's last words.
        while (lines.Count > 1 && IsFooter(lines[^1])) lines.RemoveAt(lines.Count - 1);
        return string.Join('\n', lines);
    }

    static bool IsFooter(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 6 && !SentenceEnd().IsMatch(line);

    [GeneratedRegex(@"^\s*(related( posts| articles| stories| news)?|you may also like|more from .{1,40}|read next|recommended( for you)?)\s*:?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex RelatedHeading();

    [GeneratedRegex(@"^\s*(exit mobile version|share( this( article| story)?)?( on \w+)?|share via.*|click to share.*|tweet|whatsapp|facebook|twitter|linkedin|email|print|like this:?|loading\.\.\.|advertisement|follow us on .*|subscribe to .*|sign up for .*|read more:?|comments?|leave a (comment|reply)|\d+ comments?)\s*:?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ChromeLine();

    [GeneratedRegex(@"[.!?…۔؟""”’)]\s*$")]
    private static partial Regex SentenceEnd();
}
