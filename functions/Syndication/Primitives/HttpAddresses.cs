namespace Syndication.Primitives;

/// <summary>The one check that an address is one the app may fetch, link to or call: absolute http or https.</summary>
public static class HttpAddresses
{
    public static bool IsHttp(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The text as an absolute http(s) address, or null.</summary>
    /// <summary>
    /// The site an address belongs to, its host and port (<c>dawn.com:443</c>): what the per-site request limit counts and
    /// what shards feeds, so the two always agree.
    /// </summary>
    public static string Site(Uri uri) => $"{uri.IdnHost}:{uri.Port}".ToLowerInvariant();

    public static Uri? Parse(string? text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && IsHttp(uri) ? uri : null;
}
