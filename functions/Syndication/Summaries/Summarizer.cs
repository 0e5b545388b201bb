using System.Text.RegularExpressions;

namespace Syndication.Summaries;

/// <summary>The first sentences of an article, up to a length budget, never cut in the middle of a word.</summary>
public static partial class Summarizer
{
    public const int DefaultMaxLength = 600;

    public static string Summarize(string text, int maxLength = DefaultMaxLength)
    {
        var summary = "";
        foreach (var sentence in Sentences(text))
        {
            var next = summary.Length == 0 ? sentence : summary + " " + sentence;
            if (next.Length > maxLength) return summary.Length > 0 ? summary : Shorten(sentence, maxLength);
            summary = next;
        }
        return summary;
    }

    static IEnumerable<string> Sentences(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(paragraph => SentenceEnd().Split(paragraph))
            .Select(s => s.Trim())
            .Where(s => s.Length > 0);

    /// <summary>Cuts at the last word boundary that fits, and marks the cut with an ellipsis.</summary>
    static string Shorten(string sentence, int maxLength)
    {
        var cut = sentence.LastIndexOf(' ', Math.Max(0, maxLength - 1));
        var head = cut > 0 ? sentence[..cut] : sentence[..(maxLength - 1)];
        return head.TrimEnd(',', ';', ':', ' ', '-', '–') + "…";
    }

    // A sentence ends at . ! ? or … (optionally followed by a closing quote or bracket), before whitespace and a
    // capital letter, digit or opening quote. Single capitals ("U.S.", "A. Khan") are not treated as ends.
    [GeneratedRegex(@"(?<=(?<!\b\p{Lu})[.!?…]['""’”)\]]?)\s+(?=['""‘“(\[]?[\p{Lu}\p{N}])")]
    private static partial Regex SentenceEnd();
}
