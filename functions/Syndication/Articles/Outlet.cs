namespace Syndication.Articles;

/// <summary>An outlet that carried a story: its site (the link's host, without <c>www.</c>), its name as alerts show it, and its link.</summary>
public sealed record Outlet(string Site, string Name, string? Link)
{
    /// <summary>The outlet an article came from; null when its link has no host to tell sites apart by.</summary>
    public static Outlet? Of(Article article) =>
        SiteOf(article.Link) is { } site ? new Outlet(site, article.Source ?? article.FeedId, Links.SafeLink(article.Link)) : null;

    public static string? SiteOf(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Host.Length > 0
            ? (uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host).ToLowerInvariant() : null;
}
