using Syndication.Rules;
using Syndication.Syntax;

namespace Syndication.Summaries;

/// <summary>
/// An extractive summary: the few sentences that best represent the article for this alert, in their original order.
/// The lead sentence is preferred, then sentences that carry matched terms not yet covered; nothing is rewritten, and
/// nothing is cut in the middle of a word.
/// </summary>
public static class Summarizer
{
    public const int DefaultSentences = 3;
    public const int DefaultMaxLength = 1000;

    /// <summary>Text shorter than this is a teaser, not an article: the feed's own description may say more.</summary>
    const int ShortText = 200;

    public static string Summarize(string text, string description, IReadOnlyList<ParsedTerm> terms,
        int sentences = DefaultSentences, int maxLength = DefaultMaxLength)
    {
        // What is not the story (a teaser's "Read more »", a call to action) is never chosen.
        (text, description) = (Boilerplate.Strip(text), Boilerplate.Strip(description));
        var source = text.Length < ShortText && description.Length > text.Length ? description : text;
        var all = SentenceSplitter.Split(source).Where(s => !Boilerplate.IsCallToAction(s)).ToList();
        if (all.Count == 0) return "";

        var index = new TermIndex(terms.Select((t, i) => (i, t)));
        var termsIn = all.Select(s =>
        {
            var found = new HashSet<int>();
            index.ScanWords(s, (term, _, _) => found.Add(term));
            return found;
        }).ToList();
        if (index.HasRegexes)
        {
            // Regular expressions run once over the whole text, not once per sentence: a pattern that needs backtracking
            // may take up to its timeout per run, and an article has dozens of sentences.
            var starts = new int[all.Count];
            for (int i = 0, at = 0; i < all.Count; i++)
            {
                var found = source.IndexOf(all[i], at, StringComparison.Ordinal);
                starts[i] = found >= 0 ? found : at;
                at = starts[i] + (found >= 0 ? all[i].Length : 0);
            }
            index.ScanRegexes(source, (term, start, _) =>
            {
                var sentence = Array.BinarySearch(starts, start);
                termsIn[sentence >= 0 ? sentence : Math.Max(0, ~sentence - 1)].Add(term);
            }, all: true);
        }

        var chosen = new List<int>();
        var covered = new HashSet<int>();
        while (chosen.Count < Math.Min(sentences, all.Count))
        {
            var best = Enumerable.Range(0, all.Count).Where(i => !chosen.Contains(i))
                .OrderByDescending(i => Score(i, all[i], termsIn[i], covered)).ThenBy(i => i).First();
            chosen.Add(best);
            covered.UnionWith(termsIn[best]);
        }

        // Keep the original order; drop the weakest sentences until the summary fits.
        chosen.Sort();
        while (chosen.Count > 1 && string.Join(' ', chosen.Select(i => all[i])).Length > maxLength)
            chosen.Remove(chosen.OrderBy(i => termsIn[i].Count).ThenByDescending(i => i).First());
        var summary = string.Join(' ', chosen.Select(i => all[i]));
        return summary.Length <= maxLength ? summary : Shorten(summary, maxLength);
    }

    /// <summary>New matched terms weigh most; the lead and the sentences just after it carry the story; fragments weigh less.</summary>
    static double Score(int position, string sentence, HashSet<int> terms, HashSet<int> covered) =>
        2.0 * terms.Count(t => !covered.Contains(t))
        + 1.0 * terms.Count(covered.Contains)
        + (position == 0 ? 1.5 : position < 3 ? 0.5 : 0)
        - (sentence.Length < 40 ? 1 : 0);

    /// <summary>Cuts at the last word boundary that fits, and marks the cut with an ellipsis.</summary>
    public static string Shorten(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        var cut = text.LastIndexOf(' ', Math.Max(0, maxLength - 1));
        var head = cut > 0 ? text[..cut] : text[..(maxLength - 1)];
        return head.TrimEnd(',', ';', ':', ' ', '-', '–', '—') + "…";
    }
}
