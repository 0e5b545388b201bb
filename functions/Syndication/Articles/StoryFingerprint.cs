using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Syndication.Articles;

/// <summary>
/// What makes two articles one story for a subscriber: the same canonical address; near-identical words in the title and
/// lead (an agency story carried by several sites, a site's main and section feeds), compared as sets of three-word
/// shingles; or, within 12 hours of each other, headlines sharing most of their words (at least 4) and no number apart (one event
/// reported by several outlets). The thresholds were chosen on 428 labelled pairs of headlines from the UCI News Aggregator
/// dataset (<c>tests/Syndication.Tests/testdata/story-pairs</c>); README, "One alert per story", has the figures. Pure.
/// </summary>
public static class StoryFingerprint
{
    /// <summary>How many words of the text count as the lead.</summary>
    public const int LeadWords = 60;

    /// <summary>Shingle similarity of title and lead at or above which two stories are one: copied text.</summary>
    public const double SameText = 0.5;

    /// <summary>
    /// Headline word similarity at or above which two stories close in time are one: the threshold with the best F0.5
    /// (precision counted twice) on the labelled pairs, since a false merge loses a subscriber a story.
    /// </summary>
    public const double SameTitle = 0.35;

    /// <summary>How many words two headlines must share to be one story by headline: "Kayani fast 1" is not "Kayani slow 1".</summary>
    public const int SameTitleWords = 4;

    /// <summary>How far apart two stories may be for their headlines alone to make them one (a daily column's title repeats).</summary>
    public static readonly TimeSpan TitleWindow = TimeSpan.FromHours(12);

    /// <summary>The high bit marks a headline word that holds a digit: a number, a date, a score.</summary>
    const uint NumberBit = 0x8000_0000;

    /// <summary>An article's canonical address, shingles and headline words, taken once however many channels (or people) claim it.</summary>
    public static Fingerprint Of(Article article) =>
        Fingerprints.GetValue(article, a => new(CanonicalUrl(a.Link), Shingles(a.Title, a.Text), TitleWords(a.Title)));

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Article, Fingerprint> Fingerprints = [];

    public sealed record Fingerprint(string? Url, uint[] Shingles, uint[] Title);

    /// <summary>
    /// The address with what does not change the page taken away: scheme, a <c>www.</c>, <c>m.</c> or <c>amp.</c> host
    /// prefix, an <c>/amp</c> path suffix, a trailing slash, tracking parameters and the fragment; the other parameters sorted.
    /// </summary>
    public static string? CanonicalUrl(string? link)
    {
        if (Links.ShownLink(link) is not { } shown) return null;
        var uri = new Uri(shown);
        var host = uri.IdnHost.ToLowerInvariant();
        foreach (var prefix in (ReadOnlySpan<string>)["www.", "m.", "amp."])
            if (host.StartsWith(prefix, StringComparison.Ordinal) && host.Length > prefix.Length + 3) host = host[prefix.Length..];
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/amp", StringComparison.OrdinalIgnoreCase)) path = path[..^4];
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("amp", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);
        var rest = string.Join('&', query);
        return host + (uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture)) + path + (rest.Length > 0 ? "?" + rest : "");
    }

    /// <summary>The title and lead as hashed three-word shingles: words lower-cased, accents and punctuation dropped.</summary>
    public static uint[] Shingles(string title, string text)
    {
        var words = Words(title).Concat(Words(text).Take(LeadWords)).ToList();
        var shingles = new HashSet<uint>();
        if (words.Count < 3) { if (words.Count > 0) shingles.Add(Hash(string.Join(' ', words))); }
        else for (var i = 0; i + 2 < words.Count; i++) shingles.Add(Hash($"{words[i]} {words[i + 1]} {words[i + 2]}"));
        return [.. shingles.Order()];
    }

    /// <summary>
    /// The headline's distinct words, hashed and sorted. A number keeps its separators (<c>281.40</c>, <c>150,000</c>,
    /// <c>3-1</c>) and its hash has <see cref="NumberBit"/> set, so headlines that differ in a number ("March 10",
    /// "March 11") are told apart.
    /// </summary>
    public static uint[] TitleWords(string title) =>
        [.. TitleTokens(title).Select(w => Hash(w) & ~NumberBit | (w.Any(char.IsDigit) ? NumberBit : 0)).Distinct().Order()];

    static IEnumerable<string> TitleTokens(string title)
    {
        var folded = Fold(title);
        var token = new StringBuilder();
        for (var i = 0; i < folded.Length; i++)
        {
            var c = folded[i];
            if (char.IsLetterOrDigit(c)) token.Append(c);
            else if (c is '.' or ',' or ':' or '/' or '-' && token.Length > 0 && char.IsDigit(token[^1]) && i + 1 < folded.Length && char.IsDigit(folded[i + 1])) token.Append(c);
            else if (token.Length > 0)
            {
                yield return token.ToString();
                token.Clear();
            }
        }
        if (token.Length > 0) yield return token.ToString();
    }

    /// <summary>
    /// Whether two stories are one by their words: copied title and lead, or (when <paramref name="apart"/> is within
    /// <see cref="TitleWindow"/> and both headlines are known) headlines alike at <paramref name="sameTitle"/> with no number
    /// in each that the other lacks.
    /// </summary>
    public static bool OneStory(uint[] shinglesA, uint[]? titleA, uint[] shinglesB, uint[]? titleB, TimeSpan apart, double sameTitle = SameTitle) =>
        Similarity(shinglesA, shinglesB) >= SameText
        || (titleA is not null && titleB is not null && apart.Duration() <= TitleWindow
            && Compare(titleA, titleB) is var (both, union) && both >= SameTitleWords && (double)both / union >= sameTitle
            && !(HasNumberNotIn(titleA, titleB) && HasNumberNotIn(titleB, titleA)));

    static bool HasNumberNotIn(uint[] words, uint[] other) =>
        words.Any(w => (w & NumberBit) != 0 && Array.BinarySearch(other, w) < 0);

    /// <summary>Jaccard similarity of two shingle sets, each sorted (as <see cref="Shingles"/> gives them).</summary>
    public static double Similarity(IReadOnlyList<uint> a, IReadOnlyList<uint> b) =>
        a.Count == 0 || b.Count == 0 ? 0 : Compare(a, b) is var (both, union) ? (double)both / union : 0;

    /// <summary>How many elements two sorted sets share, and how many they hold together.</summary>
    static (int Both, int Union) Compare(IReadOnlyList<uint> a, IReadOnlyList<uint> b)
    {
        int i = 0, j = 0, both = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a[i] == b[j]) { both++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return (both, a.Count + b.Count - both);
    }

    static IEnumerable<string> Words(string text) =>
        string.Concat(Fold(text).Select(c => char.IsLetterOrDigit(c) ? c : ' ')).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Lower case, accents dropped.</summary>
    static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) folded.Append(char.ToLowerInvariant(c));
        return folded.ToString();
    }

    static uint Hash(string shingle) => XxHash32.HashToUInt32(MemoryMarshal.AsBytes(shingle.AsSpan()));
}
