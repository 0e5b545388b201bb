using Syndication.Primitives;

namespace Syndication.Articles;

/// <summary>
/// The form of an item's key used for deduplication. Feeds rewrite guids and links between http and https, change the
/// host's case, add default ports, tracking parameters and fragments; none of that makes a new story.
/// </summary>
public static class ItemKey
{
    static readonly string[] TrackingPrefixes = ["utm_", "mc_", "_hs", "pk_", "ga_"];
    static readonly HashSet<string> TrackingNames = new(StringComparer.OrdinalIgnoreCase)
        { "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mkt_tok", "ref", "ref_src", "cmpid", "ncid", "ito", "smid", "at_medium", "at_campaign" };

    public static string Normalize(string key)
    {
        key = key.Trim();
        if (!Uri.TryCreate(key, UriKind.Absolute, out var uri) || !HttpAddresses.IsHttp(uri)) return key;

        // Uri already lower-cases the host and drops default ports; the scheme and fragment go, and so do trackers.
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsTracking(Uri.UnescapeDataString(p.Split('=')[0])));
        var path = uri.AbsolutePath;
        var rest = string.Join('&', query);
        return $"//{uri.Host}{(uri.IsDefaultPort ? "" : ":" + uri.Port)}{path}{(rest.Length > 0 ? "?" + rest : "")}";
    }

    static bool IsTracking(string name) =>
        TrackingNames.Contains(name) || TrackingPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
