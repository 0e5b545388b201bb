using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;
using CodeHollow.FeedReader.Parser;
using Syndication.Primitives;

namespace Syndication.Feeds;

/// <summary>Parses RSS 0.91 to 2.0, RSS 1.0 and Atom with CodeHollow.FeedReader, and gives every item a stable key.</summary>
public static partial class FeedParser
{
    public static ParsedFeed Parse(FetchedFeed fetched)
    {
        if (fetched.Content.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            throw new FeedFetchException($"the response body is empty ({fetched.Content.Length} bytes), not a feed");
        if (LooksLikeHtml(fetched))
            throw new FeedFetchException($"the URL returned an HTML page ({fetched.MediaType ?? "no content type"}), not a feed; "
                + (AdvertisedFeed(fetched) is { } advertised ? $"did you mean {advertised}? The page names it as its feed." : "check the feed address"));

        Feed feed;
        IReadOnlyList<string> repairs = [];
        try
        {
            var text = TextDecoding.Decode(fetched.Content, TextDecoding.XmlDeclared(fetched.Content), fetched.Charset);
            // FeedReader's tree takes time that grows faster than the nesting (16 s for 100,000 nested elements in
            // 700 KB); a linear pass refuses such a document first. Real feeds nest a few dozen levels at most.
            if (ElementDepth(text) > MaxElementDepth)
                throw new FeedFetchException($"the feed nests XML elements more than {MaxElementDepth} levels deep; no real feed does, so it is not read");
            (feed, repairs) = ReadForgiving(text);
        }
        catch (XmlException ex)
        {
            throw new FeedFetchException($"malformed XML at line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}", ex);
        }
        catch (FeedTypeNotSupportedException ex)
        {
            throw new FeedFetchException($"not an RSS or Atom feed: {ex.Message}", ex);
        }
        catch (NullReferenceException) when (IsEmptyFeed(fetched))
        {
            // FeedReader fails on <rss> with no <channel>, or an RDF document with nothing in it: an empty feed, not a broken one.
            return new ParsedFeed(null, []);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or FeedFetchException))
        {
            // Parsing is pure: whatever a strange feed makes the parser throw is that feed's problem, not the sweep's.
            throw new FeedFetchException($"could not read the feed ({ex.GetType().Name}): {ex.Message}", ex);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<FeedEntry>(feed.Items.Count);
        foreach (var item in feed.Items)
        {
            var entry = ToEntry(item, feed, fetched.Url);
            if (!seen.Add(entry.Key))
            {
                // Two items with one guid are two stories all the same (a publisher's mistake): the second is keyed by
                // its own link, else by a hash of what it says. The same item served twice is still one.
                if (entries.Any(e => e.Key == entry.Key && e.Title == entry.Title && e.Link == entry.Link && e.Text == entry.Text && e.Author == entry.Author)) continue;
                if (SecondKey(entry, seen) is not { } key) continue;
                entry = entry with { Key = key };
            }
            entries.Add(entry);
        }
        var channel = (feed.SpecificFeed as BaseFeed)?.Element is { } root ? root.Name.LocalName == "rss" ? root.Element("channel") : root : null;
        var feedTitle = FeedFields.Title(channel, feed.Title);
        return new ParsedFeed(feedTitle.Length == 0 ? null : feedTitle, entries) { Repairs = repairs, Site = SiteOf(channel, fetched.Url) };
    }

    /// <summary>
    /// The site a feed names as its own: RSS's <c>channel/link</c> (RSS 1.0's too), or Atom's <c>link</c> that is
    /// <c>alternate</c> (or has no <c>rel</c>), resolved against the feed's address; null unless it is http or https.
    /// </summary>
    static string? SiteOf(XElement? channel, Uri feedUrl)
    {
        if (channel?.Name.LocalName == "RDF") channel = channel.Elements().FirstOrDefault(e => e.Name.LocalName == "channel");
        if (channel is null) return null;
        var atom = channel.Name.LocalName == "feed";
        var href = channel.Elements().Where(e => e.Name.LocalName == "link").Select(link => atom
                ? (string?)link.Attribute("rel") is null or "alternate" && (string?)link.Attribute("type") is null or "text/html" ? (string?)link.Attribute("href") : null
                : link.Name.Namespace == channel.Name.Namespace || channel.Name.LocalName == "channel" && link.Name.Namespace == XNamespace.None ? link.Value : null)
            .FirstOrDefault(h => !string.IsNullOrWhiteSpace(h));
        return href is not null && Uri.TryCreate(feedUrl, href.Trim(), out var site) && HttpAddresses.IsHttp(site) ? site.ToString() : null;
    }

    /// <summary>
    /// The key of an item whose key an earlier item of the document has: its own link, else a hash of its title, link and
    /// date, else one of everything it says. Null when even that is taken.
    /// </summary>
    static string? SecondKey(FeedEntry entry, HashSet<string> seen)
    {
        if (entry.Link is { } link && link != entry.Key && seen.Add(link)) return link;
        var alike = $"{entry.Key}\n{entry.Title}\n{entry.Link}\n{entry.Published:O}";
        if (seen.Add(HashKey(alike))) return HashKey(alike);
        var whole = HashKey($"{alike}\n{entry.Author}\n{entry.Text}");
        return seen.Add(whole) ? whole : null;
    }

    /// <summary>
    /// Reads the feed strictly; when that fails, mends what forgiving readers mend (<see cref="XmlRepair"/>) and reads
    /// again, and as a last resort keeps the items of a document cut off in transit. The strict error stands when no
    /// repair helps.
    /// </summary>
    static (Feed Feed, IReadOnlyList<string> Repairs) ReadForgiving(string text)
    {
        try
        {
            return (FeedReader.ReadFromString(text), []);
        }
        catch (NullReferenceException) when (XmlRepair.WrapInChannel(text) is { } wrapped)
        {
            // RSS items with no <channel> around them (FeedReader fails on it): put them in one.
            return (FeedReader.ReadFromString(wrapped), ["wrapped the items in the <channel> RSS requires"]);
        }
        catch (FeedTypeNotSupportedException) when (CdfFeed.ToRss(text) is { } rss)
        {
            return (FeedReader.ReadFromString(rss), ["read Microsoft's Channel Definition Format (CDF) as RSS 2.0"]);
        }
        catch (NullReferenceException) when (XmlRepair.UnprefixRss(text) is { } unprefixed)
        {
            return (FeedReader.ReadFromString(unprefixed), ["dropped the namespace prefix from RSS's own elements"]);
        }
        catch (XmlException strict)
        {
            var (mended, repairs) = XmlRepair.Mend(text);
            try
            {
                if (repairs.Count > 0) return (FeedReader.ReadFromString(mended), repairs);
            }
            catch (XmlException)
            {
            }
            if (XmlRepair.BalanceTags(mended) is var (balanced, balancing))
            {
                try
                {
                    return (FeedReader.ReadFromString(balanced), [.. repairs, balancing]);
                }
                catch (XmlException)
                {
                }
            }
            if (XmlRepair.CloseTruncated(mended) is { } closed)
            {
                try
                {
                    return (FeedReader.ReadFromString(closed), [.. repairs, "the document was cut off; kept the items before the cut"]);
                }
                catch (XmlException)
                {
                }
            }
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(strict);
            throw; // not reached
        }
    }

    static FeedEntry ToEntry(FeedItem item, Feed feed, Uri feedUrl)
    {
        var element = (item.SpecificItem as BaseFeedItem)?.Element;
        var title = FeedFields.Title(element, item.Title);
        // Relative links resolve against xml:base when the feed sets one (RFC 3986 §5.1), else the site the feed names,
        // else the feed's own address.
        var json = item.SpecificItem as JsonFeedItem;
        var linkBase = Uri.TryCreate(feed.Link, UriKind.Absolute, out var site) && HttpAddresses.IsHttp(site) ? site : feedUrl;
        var link = Absolute(json is not null ? json.Url ?? json.ExternalUrl : FeedFields.Link(element, item.Link, feedUrl), linkBase);
        var published = FeedFields.Published(element) ?? Published(item);
        var summary = FeedFields.Summary(element) ?? ItemText.Html(item.Description);
        var content = FeedFields.FullContent(element) ?? ItemText.Html(item.Content);
        var categories = (item.Categories ?? []).Concat(FeedFields.Subjects(element)).Select(PlainText.FromTitle).Where(c => c.Length > 0).Distinct().ToList();
        var image = json is not null ? FeedFields.AbsoluteHttp(json.Image ?? json.BannerImage, linkBase) : FeedFields.Image(element, FeedFields.XmlBase(element, feedUrl) ?? linkBase);
        return FeedEntry.FromFeed(KeyOf(item, link, title), title, link, published, FeedFields.Author(element) ?? Author(item), categories, () =>
        {
            var (summaryText, contentText) = (summary.ToPlainText(), content.ToPlainText());
            return (summaryText, contentText.Length >= summaryText.Length ? contentText : summaryText);
        }, RawHash(title, summary, content)) with { Image = image };
    }

    /// <summary>The title and both bodies as the feed wrote them, with what kind each is, hashed (XXH3: no adversary, just speed).</summary>
    static string RawHash(string title, ItemText summary, ItemText content)
    {
        var hash = new XxHash3();
        foreach (var part in (ReadOnlySpan<string>)[title, summary.Kind == ItemTextKind.Html ? "\nh\n" : "\nt\n", summary.Raw, content.Kind == ItemTextKind.Html ? "\nh\n" : "\nt\n", content.Raw])
            hash.Append(MemoryMarshal.AsBytes(part.AsSpan()));
        return hash.GetCurrentHashAsUInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>guid (or Atom id), else the link, else a hash of title and date: an item without either still gets a key.</summary>
    static string KeyOf(FeedItem item, string? link, string title)
    {
        if (!string.IsNullOrWhiteSpace(item.Id)) return item.Id.Trim();
        if (!string.IsNullOrWhiteSpace(link)) return link;
        return HashKey($"{title}\n{item.PublishingDateString}");
    }

    static string HashKey(string text) => "sha256:" + Hashes.Hex(text);

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
        // As the feed wrote it, but for the scheme, which is case-insensitive (RFC 3986 §3.1): HTTP:// is http://.
        if (Uri.TryCreate(link, UriKind.Absolute, out var absolute) && HttpAddresses.IsHttp(absolute)) return absolute.Scheme + link[absolute.Scheme.Length..];
        return Uri.TryCreate(site, link, out var resolved) ? resolved.ToString() : link;
    }

    const int MaxElementDepth = 256;

    /// <summary>A feed document with no item or entry in it at all: empty, not broken, whatever FeedReader makes of it.</summary>
    static bool IsEmptyFeed(FetchedFeed fetched)
    {
        var text = TextDecoding.Decode(fetched.Content, TextDecoding.XmlDeclared(fetched.Content), fetched.Charset);
        return XmlRepair.HasFeedRoot(text) && !AnyItem().IsMatch(text);
    }

    [GeneratedRegex(@"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\b")]
    private static partial Regex AnyItem();

    /// <summary>
    /// The deepest element nesting. A quick count over the tags comes first; only a document it puts past the limit is
    /// read again with an XML reader, which stops at the first malformation (unclosed HTML in an unescaped description
    /// counts as nesting in the quick pass, and the real parse repairs it later).
    /// </summary>
    static int ElementDepth(string xml)
    {
        var quick = TagDepth(xml);
        return quick <= MaxElementDepth ? quick : ReaderDepth(xml);
    }

    /// <summary>
    /// Start tags minus end tags at their deepest, in one pass over the '&lt;'s: comments, CDATA sections, processing
    /// instructions and the doctype are stepped over, quoted attribute values read past. Exact for well-formed XML: the
    /// root alone is 1.
    /// </summary>
    internal static int TagDepth(string xml)
    {
        var text = xml.AsSpan();
        int depth = 0, deepest = 0;
        for (var i = text.IndexOf('<'); i >= 0;)
        {
            var rest = text[(i + 1)..];
            int after; // how far past the '<' this construct ends; -1 when it never does
            if (rest.StartsWith("!--")) after = End(rest, "-->");
            else if (rest.StartsWith("![CDATA[")) after = End(rest, "]]>");
            else if (rest.StartsWith('?')) after = End(rest, "?>");
            else if (rest.StartsWith('!'))
            {
                // <!DOCTYPE …>, with an internal subset in brackets that may hold '>'s of its own.
                var gt = rest.IndexOf('>');
                var subset = rest.IndexOf('[');
                var close = subset >= 0 && subset < gt ? rest[subset..].IndexOf(']') : -1;
                after = close >= 0 ? End(rest[(subset + close)..], ">") is var e and >= 0 ? subset + close + e : -1 : gt < 0 ? -1 : gt + 1;
            }
            else
            {
                var closing = rest.StartsWith('/');
                var end = PlainText.TagEnd(rest, closing ? 1 : 0);
                after = end;
                if (end >= 0 && closing) depth--;
                else if (end >= 2) deepest = Math.Max(deepest, rest[end - 2] == '/' ? depth + 1 : ++depth); // an empty element is one level, left at once
            }
            if (after < 0) break;
            var next = text[(i + 1 + after)..].IndexOf('<');
            i = next < 0 ? -1 : i + 1 + after + next;
        }
        return deepest;

        static int End(ReadOnlySpan<char> rest, string terminator) => rest.IndexOf(terminator) is var at and >= 0 ? at + terminator.Length : -1;
    }

    /// <summary>The deepest element nesting, read in one streaming pass; a malformed document stops the count, and the real parse reports it.</summary>
    internal static int ReaderDepth(string xml)
    {
        var deepest = 0;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, CheckCharacters = false });
            while (reader.Read())
                if (reader.NodeType == XmlNodeType.Element && reader.Depth > deepest)
                {
                    deepest = reader.Depth;
                    if (deepest > MaxElementDepth) break;
                }
        }
        catch (XmlException)
        {
        }
        return deepest;
    }

    /// <summary>
    /// An HTML page, told by its content: a page is HTML when it starts like one, or when the server says text/html and
    /// no feed's root element appears at its start. A feed served as text/html by a misconfigured server is still a feed.
    /// </summary>
    static bool LooksLikeHtml(FetchedFeed fetched)
    {
        var head = Encoding.UTF8.GetString(fetched.Content, 0, Math.Min(fetched.Content.Length, 1024)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (head.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase)) return true;
        return string.Equals(fetched.MediaType, "text/html", StringComparison.OrdinalIgnoreCase) && !XmlRepair.HasFeedRoot(head);
    }

    /// <summary>The feed an HTML page advertises (<c>&lt;link rel="alternate" type="application/rss+xml" href="…"&gt;</c>), as feed readers discover it.</summary>
    public static string? AdvertisedFeed(FetchedFeed page)
    {
        var html = Encoding.UTF8.GetString(page.Content, 0, Math.Min(page.Content.Length, 256 * 1024));
        foreach (Match link in LinkTag().Matches(html))
        {
            var tag = link.Value;
            if (!AttributeOf(tag, "rel").Split(' ').Contains("alternate", StringComparer.OrdinalIgnoreCase)) continue;
            if (AttributeOf(tag, "type").ToLowerInvariant() is not ("application/rss+xml" or "application/atom+xml" or "application/feed+json" or "application/rdf+xml")) continue;
            var href = System.Net.WebUtility.HtmlDecode(AttributeOf(tag, "href"));
            if (href.Length > 0 && Uri.TryCreate(page.Url, href, out var feed) && HttpAddresses.IsHttp(feed)) return feed.ToString();
        }
        return null;
    }

    static string AttributeOf(string tag, string name) =>
        Regex.Match(tag, $@"\b{name}\s*=\s*(?:""(?<v>[^""]*)""|'(?<v>[^']*)'|(?<v>[^\s>]+))", RegexOptions.IgnoreCase) is { Success: true } m ? m.Groups["v"].Value : "";

    [GeneratedRegex(@"<link\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex LinkTag();


}
