using Syndication.Primitives;

namespace Syndication.Articles;

/// <summary>An article's link as it may be shown and followed: http(s) only, without tracking parameters.</summary>
public static class Links
{
    /// <summary>Only http(s) links become anchors; anything else (javascript:, data:, relative) is dropped.</summary>
    public static string? SafeLink(string? link) => HttpAddresses.Parse(link)?.AbsoluteUri;

    /// <summary>
    /// The article's link as subscribers see it: <see cref="SafeLink"/>, without tracking parameters (<c>utm_*</c>,
    /// <c>fbclid</c>, <c>gclid</c> and their kin) or a fragment (<c>#comments</c>). The stored article keeps the link as the feed gave it.
    /// </summary>
    public static string? ShownLink(string? link)
    {
        if (SafeLink(link) is not { } safe) return null;
        var uri = new Uri(safe);
        var kept = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsTracking(Uri.UnescapeDataString(p.Split('=')[0]))).ToList();
        var builder = new UriBuilder(uri) { Query = string.Join('&', kept), Fragment = "" };
        if (uri.IsDefaultPort) builder.Port = -1;
        return builder.Uri.AbsoluteUri;
    }

    static bool IsTracking(string name) =>
        name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase) || TrackingParameters.Contains(name);

    static readonly HashSet<string> TrackingParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl",
        "oly_anon_id", "oly_enc_id", "vero_id", "wickedid", "rb_clickid", "s_cid", "cmpid", "ocid", "ns_source", "ns_mchannel", "ns_campaign",
    };
}
