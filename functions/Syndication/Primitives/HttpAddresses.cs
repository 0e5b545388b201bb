namespace Syndication.Primitives;

/// <summary>The one check that an address is one the app may fetch, link to or call: absolute http or https.</summary>
public static class HttpAddresses
{
    public static bool IsHttp(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The text as an absolute http(s) address, or null.</summary>
    public static Uri? Parse(string? text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && IsHttp(uri) ? uri : null;
}
