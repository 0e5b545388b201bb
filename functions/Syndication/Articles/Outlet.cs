namespace Syndication.Articles;

/// <summary>
/// An outlet that carried a story: its site, its name as alerts show it, and its link. The site is the host of the
/// story's canonical address (<see cref="StoryFingerprint.CanonicalUrl"/>, so <c>www.</c>, <c>m.</c> and <c>amp.</c>
/// hosts are one site), the same address that tells one story from another.
/// </summary>
public sealed record Outlet(string Site, string Name, string? Link)
{
    /// <summary>The outlet of an article whose canonical address is <paramref name="canonicalUrl"/>; null without one.</summary>
    public static Outlet? Of(Article article, string? canonicalUrl) =>
        SiteOf(canonicalUrl) is { } site ? new Outlet(site, article.Source ?? article.FeedId, Links.SafeLink(article.Link)) : null;

    /// <summary>The site of a canonical address: its host (and port when not the default).</summary>
    public static string? SiteOf(string? canonicalUrl) => canonicalUrl?.Split('/', 2)[0];
}
