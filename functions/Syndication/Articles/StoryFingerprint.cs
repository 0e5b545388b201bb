using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Syndication.Telegram;

namespace Syndication.Articles;

/// <summary>
/// What makes two articles one story for a subscriber: the same canonical address, or near-identical words in the title
/// and lead (an agency story carried by several sites, a site's main and section feeds). The words are compared as sets
/// of three-word shingles (Jaccard similarity), which a reworded headline or a different first paragraph pulls far
/// apart while a copied story keeps close to 1. Pure.
/// </summary>
public static class StoryFingerprint
{
    /// <summary>How many words of the text count as the lead.</summary>
    public const int LeadWords = 60;

    /// <summary>Shingle similarity at or above which two stories are one.</summary>
    public const double SameStory = 0.5;

    /// <summary>
    /// The address with what does not change the page taken away: scheme, a <c>www.</c>, <c>m.</c> or <c>amp.</c> host
    /// prefix, an <c>/amp</c> path suffix, a trailing slash, tracking parameters and the fragment; the other parameters sorted.
    /// </summary>
    public static string? CanonicalUrl(string? link)
    {
        if (MessageFormatter.ShownLink(link) is not { } shown) return null;
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

    /// <summary>Jaccard similarity of two shingle sets, each sorted (as <see cref="Shingles"/> gives them).</summary>
    public static double Similarity(IReadOnlyList<uint> a, IReadOnlyList<uint> b)
    {
        if (a.Count == 0 || b.Count == 0) return 0;
        int i = 0, j = 0, both = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a[i] == b[j]) { both++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return (double)both / (a.Count + b.Count - both);
    }

    static IEnumerable<string> Words(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) folded.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        return folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    static uint Hash(string shingle) => XxHash32.HashToUInt32(MemoryMarshal.AsBytes(shingle.AsSpan()));
}
