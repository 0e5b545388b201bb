namespace Syndication.Summaries;

/// <summary>
/// Splits article text into sentences. A sentence ends at <c>. ! ? …</c> (or Urdu <c>۔ ؟</c>), after any closing quote or
/// bracket, where whitespace follows and the next sentence starts with a capital, a digit, an opening quote or a letter
/// of a script without case. Abbreviations (<c>Gen.</c>, <c>U.S.</c>, <c>a.m.</c>), initials and decimals do not end one;
/// a line break always does.
/// </summary>
public static class SentenceSplitter
{
    // Case matters: "No. 10" abbreviates, "said no." ends a sentence.
    static readonly HashSet<string> Abbreviations = new(StringComparer.Ordinal)
    {
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cpt", "Sgt", "Cmdr", "Adm", "Brig", "Gov", "Sen",
        "Rep", "Pres", "St", "Jr", "Sr", "No", "Nos", "Vol", "Fig", "vs", "etc", "Inc", "Ltd", "Co", "Corp", "Dept", "est", "approx",
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mt", "Ft", "Rs", "mln", "bn",
    };

    const string Closers = "\"'”’)]»";
    const string Openers = "\"'“‘([«";

    public static IEnumerable<string> Split(string text)
    {
        foreach (var paragraph in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var start = 0;
            for (var i = 0; i < paragraph.Length; i++)
            {
                if (!IsTerminator(paragraph[i])) continue;
                var end = i + 1;
                while (end < paragraph.Length && (IsTerminator(paragraph[end]) || Closers.Contains(paragraph[end]))) end++;
                if (end >= paragraph.Length || !char.IsWhiteSpace(paragraph[end])) { i = end - 1; continue; }
                var next = end;
                while (next < paragraph.Length && char.IsWhiteSpace(paragraph[next])) next++;
                // A closing quote after the stop ends the sentence even after an abbreviation: “… the U.S.”
                var quoted = end > i + 1 && Closers.Contains(paragraph[end - 1]);
                if (next < paragraph.Length && StartsSentence(paragraph, next) && (quoted || !IsAbbreviation(paragraph, start, i)))
                {
                    yield return paragraph[start..end].Trim();
                    start = next;
                }
                i = end - 1;
            }
            if (start < paragraph.Length && paragraph[start..].Trim() is { Length: > 0 } last) yield return last;
        }
    }

    static bool IsTerminator(char c) => c is '.' or '!' or '?' or '…' or '۔' or '؟';

    static bool StartsSentence(string text, int at)
    {
        var c = text[at];
        if (Openers.Contains(c)) return at + 1 < text.Length && StartsSentence(text, at + 1) || at + 1 >= text.Length;
        return char.IsUpper(c) || char.IsDigit(c) || char.IsLetter(c) && char.ToUpperInvariant(c) == char.ToLowerInvariant(c);
    }

    /// <summary>Whether the word before the full stop at <paramref name="dot"/> is an abbreviation or an initial.</summary>
    static bool IsAbbreviation(string text, int sentenceStart, int dot)
    {
        if (text[dot] != '.') return false;
        var wordStart = dot;
        while (wordStart > sentenceStart && !char.IsWhiteSpace(text[wordStart - 1]) && !Openers.Contains(text[wordStart - 1])) wordStart--;
        var word = text[wordStart..dot];
        if (word.Length == 0) return false;
        if (word.Length == 1 && char.IsLetter(word[0])) return true;             // an initial: "A. Khan"
        if (word.Contains('.') && word.All(c => c == '.' || char.IsLetter(c))) return true; // "U.S", "a.m", "e.g"
        return Abbreviations.Contains(word);
    }
}
