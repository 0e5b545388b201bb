using System.Security.Cryptography;
using System.Text;
using System.Xml;
using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;
using CodeHollow.FeedReader.Parser;
using Syndication.Articles;

namespace Syndication.Feeds;

/// <summary>Parses RSS 0.91 to 2.0, RSS 1.0 and Atom with CodeHollow.FeedReader, and gives every item a stable key.</summary>
public static class FeedParser
{
    public static ParsedFeed Parse(FetchedFeed fetched)
    {
        if (LooksLikeHtml(fetched))
            throw new FeedFetchException($"the URL returned an HTML page ({fetched.MediaType ?? "no content type"}), not a feed; check the feed address");

        Feed feed;
        try
        {
            feed = DeclaresEncoding(fetched.Content) || fetched.Charset is null
                ? FeedReader.ReadFromByteArray(fetched.Content)
                // FeedReader only honours the XML declaration; when only the HTTP header names the charset, decode here.
                : FeedReader.ReadFromString(Decode(fetched.Content, fetched.Charset));
        }
        catch (XmlException ex)
        {
            throw new FeedFetchException($"malformed XML at line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}", ex);
        }
        catch (FeedTypeNotSupportedException ex)
        {
            throw new FeedFetchException($"not an RSS or Atom feed: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Parsing is pure: whatever a strange feed makes the parser throw is that feed's problem, not the sweep's.
            throw new FeedFetchException($"could not read the feed ({ex.GetType().Name}): {ex.Message}", ex);
        }

        var seen = new HashSet<string>();
        var entries = new List<FeedEntry>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            var entry = ToEntry(item, feed, fetched.Url);
            if (seen.Add(entry.Key)) entries.Add(entry);
        }
        return new ParsedFeed(string.IsNullOrWhiteSpace(feed.Title) ? null : PlainText.FromTitle(feed.Title), entries);
    }

    static FeedEntry ToEntry(FeedItem item, Feed feed, Uri feedUrl)
    {
        var title = PlainText.FromTitle(item.Title);
        var link = Absolute(item.Link, Uri.TryCreate(feed.Link, UriKind.Absolute, out var site) && IsHttp(site) ? site : feedUrl);
        var published = Published(item);
        var summary = PlainText.FromHtml(item.Description);
        var content = PlainText.FromHtml(item.Content);
        var text = content.Length >= summary.Length ? content : summary;
        var categories = (item.Categories ?? []).Select(PlainText.FromTitle).Where(c => c.Length > 0).Distinct().ToList();
        return new FeedEntry(KeyOf(item, link, title), title, link, published, Author(item), categories, summary, text);
    }

    /// <summary>guid (or Atom id), else the link, else a hash of title and date: an item without either still gets a key.</summary>
    static string KeyOf(FeedItem item, string? link, string title)
    {
        if (!string.IsNullOrWhiteSpace(item.Id)) return item.Id.Trim();
        if (!string.IsNullOrWhiteSpace(link)) return link;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{title}\n{item.PublishingDateString}"));
        return "sha256:" + Convert.ToHexStringLower(hash);
    }

    static DateTimeOffset? Published(FeedItem item)
    {
        var date = item.PublishingDate ?? (item.SpecificItem as AtomFeedItem)?.UpdatedDate;
        if (date is null) return null;
        var utc = date.Value.Kind == DateTimeKind.Local ? date.Value.ToUniversalTime() : DateTime.SpecifyKind(date.Value, DateTimeKind.Utc);
        return new DateTimeOffset(utc);
    }

    // FeedReader does not map dc:creator into Author, and Atom authors are objects.
    static string? Author(FeedItem item)
    {
        var author = item.Author;
        if (string.IsNullOrWhiteSpace(author))
            author = item.SpecificItem switch
            {
                Rss20FeedItem rss => rss.DC?.Creator,
                Rss10FeedItem rdf => rdf.DC?.Creator,
                AtomFeedItem atom => atom.Author?.Name,
                _ => null,
            };
        return string.IsNullOrWhiteSpace(author) ? null : PlainText.FromTitle(author);
    }

    /// <summary>Relative links resolve against the site the feed names, else the feed's own URL.</summary>
    static string? Absolute(string? link, Uri site)
    {
        if (string.IsNullOrWhiteSpace(link)) return null;
        link = link.Trim();
        // On Unix "/path" parses as an absolute file: URI, so only an http(s) result counts as absolute.
        if (Uri.TryCreate(link, UriKind.Absolute, out var absolute) && IsHttp(absolute)) return absolute.ToString();
        return Uri.TryCreate(site, link, out var resolved) ? resolved.ToString() : link;
    }

    static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps;

    static bool LooksLikeHtml(FetchedFeed fetched)
    {
        if (string.Equals(fetched.MediaType, "text/html", StringComparison.OrdinalIgnoreCase)) return true;
        var head = Encoding.UTF8.GetString(fetched.Content, 0, Math.Min(fetched.Content.Length, 512)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    static bool DeclaresEncoding(byte[] content)
    {
        var head = Encoding.ASCII.GetString(content, 0, Math.Min(content.Length, 200));
        return head.StartsWith("<?xml", StringComparison.Ordinal) && head.Contains("encoding=", StringComparison.Ordinal)
            || content.AsSpan().StartsWith(Encoding.UTF8.Preamble);
    }

    static string Decode(byte[] content, string charset)
    {
        try
        {
            return Encoding.GetEncoding(charset.Trim('"')).GetString(content);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8.GetString(content);
        }
    }
}
