using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SmartReader;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Primitives;

namespace Syndication.Articles;

/// <summary>
/// Fetches an article's page and extracts its main content with SmartReader (a port of Mozilla's Readability), then
/// drops the site chrome Readability leaves behind. When anything fails, the feed's own text stays, and the log says why.
/// </summary>
public sealed partial class FullTextExtractor(FeedFetcher fetcher, ILogger<FullTextExtractor> logger)
{
    /// <summary>In <c>auto</c> mode, an item with fewer words than this is a teaser worth completing.</summary>
    public const int TeaserWords = 150;

    public async Task<FeedEntry> CompleteAsync(FeedEntry entry, FullTextMode mode, string feedId, CancellationToken cancellationToken)
    {
        if (mode == FullTextMode.Never || !Uri.TryCreate(entry.Link, UriKind.Absolute, out var link) || !HttpAddresses.IsHttp(link))
            return entry;
        if (mode == FullTextMode.Auto && WordCount(entry.Text) >= TeaserWords)
            return entry;

        try
        {
            var page = await fetcher.FetchPageAsync(link, cancellationToken);
            var html = Decode(page);
            // A feed without a picture often has one on its page, for link previews: the page's og:image.
            if (entry.Image is null && PageImage(link, html) is { } picture) entry = entry with { Image = picture };
            var (text, why) = Extract(link, html, entry.Title);
            if (text is null)
            {
                LogNotExtracted(feedId, link, why!);
                return entry;
            }
            if (WordCount(text) <= WordCount(entry.Text))
            {
                LogNotExtracted(feedId, link, "the page held no more text than the feed");
                return entry;
            }
            LogExtracted(feedId, link, WordCount(entry.Text), WordCount(text));
            return entry with { Text = text };
        }
        catch (FeedFetchException ex)
        {
            LogNotExtracted(feedId, link, ex.Message);
            return entry;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Extraction is parsing somebody else's HTML: whatever it throws is that page's problem, not the sweep's.
            LogExtractionFailed(feedId, link, ex.GetType().Name, ex.Message);
            return entry;
        }
    }

    /// <summary>
    /// The main text of an article page, without the site's chrome; or, when there is none to take, why not. Pure: the
    /// page is already fetched and decoded.
    /// </summary>
    public static (string? Text, string? Reason) Extract(Uri link, string html, string title)
    {
        var (article, why) = Read(link, html);
        return article is null ? (null, why) : (SiteChrome.Remove(PlainText.FromHtml(article.Content), title), null);
    }

    /// <summary>The page's main content as Readability finds it; or, when there is none to take, why not.</summary>
    static (SmartReader.Article? Article, string? Reason) Read(Uri link, string html)
    {
        // Readability builds a tree and walks it many times: markup nested thousands deep takes minutes (52 s for
        // 500 KB of nested <div>s). No article page nests that deep, so such a page is not extracted.
        if (PlainText.NestingDepth(html) is var depth and > PlainText.MaxDepth)
            return (null, $"the page nests its markup {depth} levels deep, more than {PlainText.MaxDepth}");
        // new Reader(url, html) parses the given text; the static ParseArticle(url, text) would download the page itself.
        // The page's scripts, menus, sidebars and footers are cut first: Readability would walk them many times to drop them.
        var article = new Reader(link.AbsoluteUri, PageChrome.Remove(html)).GetArticle();
        return !article.IsReadable || string.IsNullOrWhiteSpace(article.Content) ? (null, "no readable main content on the page") : (article, null);
    }

    /// <summary>
    /// An article page read as an item, for an editor's <c>/preview</c>: its title, byline and site name as Readability
    /// finds them (the site's <c>og:site_name</c>, else its host), its main text without the site's chrome, and its
    /// picture. Throws <see cref="FeedFetchException"/> when there is no article to read.
    /// </summary>
    public async Task<(FeedEntry Entry, string Site)> ReadPageAsync(Uri link, CancellationToken cancellationToken)
    {
        var page = await fetcher.FetchPageAsync(link, cancellationToken);
        var html = Decode(page);
        var (article, why) = Read(page.Url, html);
        if (article is null) throw new FeedFetchException($"the page has no article to read: {why}");
        var title = string.IsNullOrWhiteSpace(article.Title) ? link.Host : article.Title.Trim();
        var text = SiteChrome.Remove(PlainText.FromHtml(article.Content), title);
        var entry = new FeedEntry(link.AbsoluteUri, title, link.AbsoluteUri, null, Byline(article.Byline), [], "", text)
        {
            Image = PageImage(page.Url, html),
        };
        return (entry, string.IsNullOrWhiteSpace(article.SiteName) ? link.Host : article.SiteName.Trim());
    }

    /// <summary>A page's byline as a name: "By Staff Reporter" is by Staff Reporter; the message adds no second "By".</summary>
    public static string? Byline(string? byline) =>
        string.IsNullOrWhiteSpace(byline) ? null
        : BylinePrefix().Replace(byline.Trim(), "") is { Length: > 0 } name ? name : null;

    [GeneratedRegex(@"^(by|BY|By)([:\s]+|$)")]
    private static partial Regex BylinePrefix();

    /// <summary>The picture a page names for link previews (<c>og:image</c>, else <c>twitter:image</c>), as an absolute http(s) address; null when none.</summary>
    public static string? PageImage(Uri link, string html)
    {
        var head = html.Length > 65_536 ? html[..65_536] : html;
        foreach (Match meta in MetaTag().Matches(head))
        {
            var tag = meta.Value;
            var name = MetaAttribute(tag, "property") ?? MetaAttribute(tag, "name");
            if (name is not ("og:image" or "og:image:url" or "og:image:secure_url" or "twitter:image")) continue;
            if (MetaAttribute(tag, "content") is { } content && Uri.TryCreate(link, System.Net.WebUtility.HtmlDecode(content.Trim()), out var url) && HttpAddresses.IsHttp(url))
                return url.AbsoluteUri;
        }
        return null;
    }

    static string? MetaAttribute(string tag, string name) =>
        Regex.Match(tag, $@"\b{Regex.Escape(name)}\s*=\s*(?:""(?<v>[^""]*)""|'(?<v>[^']*)'|(?<v>[^\s>]+))", RegexOptions.IgnoreCase) is { Success: true } m ? m.Groups["v"].Value : null;

    [GeneratedRegex(@"<meta\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex MetaTag();

    public static int WordCount(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>The page's text: its byte-order mark, else its HTTP charset, else its &lt;meta charset&gt;, else UTF-8.</summary>
    static string Decode(FetchedFeed page) => TextDecoding.Decode(page.Content, page.Charset, TextDecoding.HtmlDeclared(page.Content));

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: full text of {Link} extracted, {FeedWords} words in the feed, {PageWords} on the page")]
    partial void LogExtracted(string feedId, Uri link, int feedWords, int pageWords);

    [LoggerMessage(LogLevel.Warning, "Feed {FeedId}: extracting {Link} failed ({ErrorType}: {Reason}); kept the feed's own text")]
    partial void LogExtractionFailed(string feedId, Uri link, string errorType, string reason);

    [LoggerMessage(LogLevel.Information, "Feed {FeedId}: kept the feed's own text for {Link}: {Reason}")]
    partial void LogNotExtracted(string feedId, Uri link, string reason);
}
