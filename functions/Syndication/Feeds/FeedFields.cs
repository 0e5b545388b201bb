using System.Xml.Linq;
using Syndication.Primitives;

namespace Syndication.Feeds;

/// <summary>
/// The fields CodeHollow.FeedReader reads too loosely, read from the item's own XML instead: titles by their declared type,
/// dates from every element feeds put them in, and the link a subscriber should open.
/// </summary>
static partial class FeedFields
{
    static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    static readonly XNamespace Atom03 = "http://purl.org/atom/ns#";
    static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    static readonly XNamespace DcTerms = "http://purl.org/dc/terms/";
    static readonly XNamespace Media = "http://search.yahoo.com/mrss/";
    static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    static readonly XNamespace Itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";

    // Names looked up once: an XName made from a namespace and a string is a table lookup each time.
    static readonly XName Atom03Author = Atom03 + "author";
    static readonly XName Atom03Content = Atom03 + "content";
    static readonly XName Atom03Created = Atom03 + "created";
    static readonly XName Atom03Id = Atom03 + "id";
    static readonly XName Atom03Issued = Atom03 + "issued";
    static readonly XName Atom03Link = Atom03 + "link";
    static readonly XName Atom03Modified = Atom03 + "modified";
    static readonly XName Atom03Published = Atom03 + "published";
    static readonly XName Atom03Summary = Atom03 + "summary";
    static readonly XName Atom03Title = Atom03 + "title";
    static readonly XName AtomAuthor = Atom + "author";
    static readonly XName AtomContent = Atom + "content";
    static readonly XName AtomId = Atom + "id";
    static readonly XName AtomLink = Atom + "link";
    static readonly XName AtomPublished = Atom + "published";
    static readonly XName AtomSummary = Atom + "summary";
    static readonly XName AtomTitle = Atom + "title";
    static readonly XName AtomUpdated = Atom + "updated";
    static readonly XName ContentEncoded = Content + "encoded";
    static readonly XName DcAuthor = Dc + "author";
    static readonly XName DcCreator = Dc + "creator";
    static readonly XName DcDate = Dc + "date";
    static readonly XName DcDescription = Dc + "description";
    static readonly XName DcSubject = Dc + "subject";
    static readonly XName DcTermsCreated = DcTerms + "created";
    static readonly XName DcTermsIssued = DcTerms + "issued";
    static readonly XName DcTermsModified = DcTerms + "modified";
    static readonly XName DcTitle = Dc + "title";
    static readonly XName ItunesImage = Itunes + "image";
    static readonly XName MediaContent = Media + "content";
    static readonly XName MediaGroup = Media + "group";
    static readonly XName MediaThumbnail = Media + "thumbnail";
    static readonly XName MediaTitle = Media + "title";

    /// <summary>RSS's own elements: no namespace (0.91–2.0), RSS 1.0's, RSS 0.90's, and UserLand's RSS 2.0 namespace.</summary>
    static bool IsRss(XName name) => name.Namespace == XNamespace.None || name.NamespaceName is
        "http://purl.org/rss/1.0/" or "http://my.netscape.com/rdf/simple/0.9/" or "http://backend.userland.com/rss2";

    static IEnumerable<XElement> Rss(XElement item, string localName) => item.Elements().Where(e => e.Name.LocalName == localName && IsRss(e.Name));

    /// <summary>
    /// Plain text, whatever the feed wrote: Atom <c>type="text"</c> is text as it stands (RFC 4287 §3.1.1); <c>html</c>, and
    /// RSS titles carrying markup, lose their tags (scripts and styles whole) with entities decoded once; <c>xhtml</c> is
    /// its text. An item with no title of its own takes Dublin Core's or Media RSS's.
    /// </summary>
    public static string Title(XElement? item, string? parsed)
    {
        var element = item is null ? null : Rss(item, "title").FirstOrDefault(e => e.Value.Trim().Length > 0)
            ?? First(item, AtomTitle, Atom03Title, DcTitle, MediaTitle);
        if (element is null) return PlainText.FromTitle(parsed);
        var type = ((string?)element.Attribute("type"))?.ToLowerInvariant();
        var mode = (string?)element.Attribute("mode");
        // XHTML is markup whose text nodes are text: an escaped "&lt;blink&gt;" in it is a word a subscriber reads.
        if (type is "xhtml" or "application/xhtml+xml") return OneLine(PlainText.FromHtml(Serialized(element)));
        var isAtom = element.Name.Namespace == Atom || element.Name.Namespace == Atom03;
        // Atom 0.3's base64 mode, and an Atom 1.0 media type that is neither text nor XML (RFC 4287 §4.1.3.3), are base64.
        // Text that is not valid base64 of UTF-8 (type="application/x-custom">test<) stays as it stands.
        var binary = isAtom && type is not null && type.Contains('/') && !type.StartsWith("text/", StringComparison.Ordinal) && !type.EndsWith("xml", StringComparison.Ordinal);
        var raw = mode == "base64" || binary ? FromBase64(element.Value) : element.Value;
        // Atom's text is text as it stands; Atom 0.3's type defaults to text/plain, whatever the mode.
        if (isAtom && (type is null or "text" or "text/plain") && mode != "escaped")
            return OneLine(raw);
        return LooksLikeMarkup(raw) ? OneLine(PlainText.FromHtml(raw)) : WithoutFormatting(PlainText.FromTitle(raw));
    }

    /// <summary>
    /// A title is plain text: formatting tags that a feed escaped twice (<c>&amp;lt;b&amp;gt;LIVE&amp;lt;/b&amp;gt;</c>) and
    /// that one decoding turned into <c>&lt;b&gt;LIVE&lt;/b&gt;</c> are dropped, not shown. Nothing else is decoded again.
    /// </summary>
    static string WithoutFormatting(string title) =>
        title.Contains('<') ? OneLine(FormattingTag().Replace(title, "")) : title;

    [System.Text.RegularExpressions.GeneratedRegex(@"</?(?:b|i|em|strong|u|s|span|font|small|big|mark|sup|sub|br|a|strike|ins|del)(?:\s[^<>]*)?/?>", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex FormattingTag();


    /// <summary>
    /// The item's picture, as feed readers find it: Media RSS <c>content</c> (an image) or <c>thumbnail</c>, also inside
    /// <c>media:group</c>; an enclosure of an image type; <c>itunes:image</c>; else the first <c>&lt;img src&gt;</c> of the
    /// item's HTML. Only an absolute http(s) address, resolved against <paramref name="baseUri"/>, counts.
    /// </summary>
    public static string? Image(XElement? item, Uri baseUri)
    {
        if (item is null) return null;
        var media = item.Elements(MediaGroup).SelectMany(g => g.Elements()).Concat(item.Elements()).ToList();
        var candidates = media.Where(e => e.Name == MediaContent && ((string?)e.Attribute("medium") == "image" || ((string?)e.Attribute("type"))?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true))
            .Select(e => (string?)e.Attribute("url"))
            .Concat(media.Where(e => e.Name == MediaThumbnail).Select(e => (string?)e.Attribute("url")))
            .Concat(Rss(item, "enclosure").Where(e => ((string?)e.Attribute("type"))?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true).Select(e => (string?)e.Attribute("url")))
            .Concat(item.Elements(AtomLink).Where(e => (string?)e.Attribute("rel") == "enclosure" && ((string?)e.Attribute("type"))?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true).Select(e => (string?)e.Attribute("href")))
            .Concat(item.Elements(ItunesImage).Select(e => (string?)e.Attribute("href")))
            .Concat(new[] { item.Element(ContentEncoded), item.Element(AtomContent), Rss(item, "description").FirstOrDefault(), item.Element(AtomSummary) }
                .Where(e => e is not null).Select(e => FirstImgSrc(TextOf(e!))));
        foreach (var candidate in candidates)
            if (AbsoluteHttp(candidate, baseUri) is { } url) return url;
        return null;
    }

    public static string? AbsoluteHttp(string? reference, Uri baseUri) =>
        !string.IsNullOrWhiteSpace(reference) && Uri.TryCreate(baseUri, reference.Trim(), out var url) && HttpAddresses.IsHttp(url)
            ? url.ToString()
            : null;

    /// <summary>
    /// An element's text: its one text or CDATA node as it is, else every descendant's text joined (what
    /// <see cref="XElement.Value"/> gives, which copies even a single node through a builder).
    /// </summary>
    static string TextOf(XElement element) => element.FirstNode is XText only && only.NextNode is null ? only.Value : element.Value;

    /// <summary>The <c>src</c> of the first <c>&lt;img&gt;</c> in some HTML; the pattern runs only where an image tag appears.</summary>
    static string? FirstImgSrc(string html) =>
        html.Contains("<img", StringComparison.OrdinalIgnoreCase) && FirstImg().Match(html) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups["src"].Value) : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"<img\b[^>]*?\bsrc\s*=\s*[""'](?<src>[^""']+)[""']", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex FirstImg();

    /// <summary>Dublin Core subjects, which many feeds use instead of RSS categories.</summary>
    public static IEnumerable<string> Subjects(XElement? item) =>
        item is null ? [] : item.Elements(DcSubject).Select(e => e.Value);

    /// <summary>
    /// Who wrote the item, by name: Dublin Core <c>creator</c> (WordPress), Atom's author name, RSS <c>author</c> (whose
    /// <c>email (Name)</c> form gives the name), <c>dc:author</c> or <c>itunes:author</c>. Null when the item names nobody.
    /// </summary>
    public static string? Author(XElement? item)
    {
        if (item is null) return null;
        foreach (var element in item.Elements(DcCreator).Concat(item.Elements(DcAuthor)))
            if (NameOf(AuthorText(element.Value)) is { Length: > 0 } name) return name;
        foreach (var author in item.Elements(AtomAuthor).Concat(item.Elements(Atom03Author)))
        {
            var name = author.Elements().FirstOrDefault(e => e.Name.LocalName == "name")?.Value;
            var email = author.Elements().FirstOrDefault(e => e.Name.LocalName == "email")?.Value;
            if (NameOf(PlainText.OneLine(string.IsNullOrWhiteSpace(name) ? email : name)) is { Length: > 0 } found) return found;
        }
        // Podcast feeds spell iTunes' namespace in several cases (…/DTDs/PodCast-1.0.dtd); it is one namespace to them.
        foreach (var element in Rss(item, "author").Concat(item.Elements().Where(e => e.Name.LocalName == "author" && string.Equals(e.Name.NamespaceName, Itunes.NamespaceName, StringComparison.OrdinalIgnoreCase))))
        {
            if (NameOf(AuthorText(element.Value)) is { Length: > 0 } name) return name;
        }
        return null;
    }

    /// <summary>An author field as text: markup stripped when it carries HTML (links to profiles), entities decoded once.</summary>
    static string AuthorText(string value) => LooksLikeMarkup(value) ? OneLine(PlainText.FromHtml(value)) : PlainText.FromTitle(value);

    /// <summary>
    /// The name in an author field: RSS 2.0's <c>lawyer@boyer.net (Lawyer Boyer)</c>, the common <c>Name (email)</c> and
    /// <c>Name &lt;email&gt;</c>, or a bare <c>&lt;email&gt;</c> without its brackets.
    /// </summary>
    static string NameOf(string text)
    {
        if (EmailWithName().Match(text) is { Success: true } m) return m.Groups["name"].Value.Trim();
        if (NameWithEmail().Match(text) is { Success: true } n) return n.Groups["name"].Value.Trim();
        var trimmed = text.Trim();
        return trimmed.Length > 2 && trimmed[0] == '<' && trimmed[^1] == '>' && trimmed.Contains('@') && !trimmed.Contains(' ') ? trimmed[1..^1] : trimmed;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<name>[^(<]*[^(<\s])\s*[(<](?:mailto:)?\S+@\S+[)>]$")]
    private static partial System.Text.RegularExpressions.Regex NameWithEmail();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\S+@\S+\s*\((?<name>[^)]+)\)$")]
    private static partial System.Text.RegularExpressions.Regex EmailWithName();

    /// <summary>
    /// The item's short text: RSS <c>description</c>, Atom <c>summary</c>, Dublin Core <c>description</c>;
    /// null when the item has none. See <see cref="Body"/> for how each kind is read.
    /// </summary>
    public static ItemText? Summary(XElement? item) => item is null ? null
        : Body(Rss(item, "description").FirstOrDefault() ?? item.Element(AtomSummary) ?? item.Element(Atom03Summary) ?? item.Element(DcDescription));

    /// <summary>The item's full text: <c>content:encoded</c>, or Atom <c>content</c>; null when it has none.</summary>
    public static ItemText? FullContent(XElement? item) => item is null ? null
        : Body(item.Element(ContentEncoded) ?? item.Element(AtomContent) ?? item.Element(Atom03Content));

    /// <summary>
    /// Reads a text construct as what it is, to be decoded exactly once (<see cref="ItemText.ToPlainText"/>): RSS's HTML
    /// and Atom <c>type="html"</c> are HTML (so text the source escaped twice, like <c>&amp;lt;b&amp;gt;</c>, stays
    /// visible as <c>&lt;b&gt;</c>); Atom <c>text</c> is text; <c>xhtml</c> is markup whose block elements keep their
    /// line breaks (RFC 4287 §3.1).
    /// </summary>
    static ItemText? Body(XElement? element)
    {
        if (element is null) return null;
        var type = ((string?)element.Attribute("type"))?.ToLowerInvariant();
        var mode = (string?)element.Attribute("mode");
        var isAtom = element.Name.Namespace == Atom || element.Name.Namespace == Atom03;
        if (type is "xhtml" or "application/xhtml+xml") return new ItemText(Serialized(element), ItemTextKind.Html);
        var raw = mode == "base64" ? FromBase64(TextOf(element)) : TextOf(element);
        return new ItemText(raw, isAtom && (type is null or "text" or "text/plain") && mode != "escaped" ? ItemTextKind.Text : ItemTextKind.Html);
    }

    /// <summary>
    /// When the item was published: RSS <c>pubDate</c>, Atom <c>published</c> then <c>updated</c>, Dublin Core <c>date</c>,
    /// <c>dcterms:issued</c>, <c>modified</c> or <c>created</c>, and Atom 0.3's <c>issued</c>, <c>modified</c>, <c>created</c>.
    /// </summary>
    public static DateTimeOffset? Published(XElement? item)
    {
        if (item is null) return null;
        // pubDate, then Atom's names written without Atom's namespace, as some RSS feeds do.
        foreach (var element in Rss(item, "pubDate").Concat(Rss(item, "published")).Concat(Rss(item, "updated")))
            if (FeedDates.Parse(element.Value) is { } date)
                return date;
        foreach (var name in DateElements)
            foreach (var element in item.Elements(name))
                if (FeedDates.Parse(element.Value) is { } date)
                    return date;
        return null;
    }

    static readonly XName[] DateElements =
    [
        AtomPublished, AtomUpdated, DcDate, DcTermsIssued, DcTermsCreated, DcTermsModified,
        Atom03Published, Atom03Issued, Atom03Created, Atom03Modified,
    ];

    /// <summary>
    /// The page a subscriber should open: RSS <c>link</c>; Atom's <c>alternate</c> link (or one without <c>rel</c>), never an
    /// enclosure, licence or self link; else a permalink guid (RSS 2.0 §guid: isPermaLink defaults to true), or an Atom id
    /// that is an http(s) URL. Null when there is none.
    /// </summary>
    public static string? Link(XElement? item, string? parsed, Uri document)
    {
        if (item is null) return parsed;
        // RSS's link is its text; some feeds write it Atom's way, as an href attribute.
        foreach (var link in Rss(item, "link"))
            if ((string?)link.Attribute("rel") is null or "" or "alternate" && (link.Value.Trim() is { Length: > 0 } text ? text : ((string?)link.Attribute("href"))?.Trim()) is { Length: > 0 } href)
                return InBase(href, link, document);
        // Atom's link is its href; a few feeds put the address in the element's text instead.
        foreach (var link in item.Elements(AtomLink).Concat(item.Elements(Atom03Link)))
            if ((string?)link.Attribute("rel") is null or "" or "alternate" && (((string?)link.Attribute("href"))?.Trim() ?? link.Value.Trim()) is { Length: > 0 } href)
                return InBase(href, link, document);
        foreach (var guid in Rss(item, "guid"))
            if (!string.Equals((string?)guid.Attribute("isPermaLink"), "false", StringComparison.OrdinalIgnoreCase) && IsHttpUrl(guid.Value.Trim()))
                return guid.Value.Trim();
        foreach (var id in item.Elements(AtomId).Concat(item.Elements(Atom03Id)))
            if (IsHttpUrl(id.Value.Trim())) return id.Value.Trim();
        return null;
    }

    /// <summary>A relative reference resolved against the <c>xml:base</c> in force where it stands (RFC 3986 §5.1.1), if any.</summary>
    static string InBase(string href, XElement element, Uri document) =>
        !IsHttpUrl(href) && XmlBase(element, document) is { } xmlBase && Uri.TryCreate(xmlBase, href, out var resolved) ? resolved.ToString() : href;

    /// <summary>The base URI in force at <paramref name="element"/>: every <c>xml:base</c> from the root down, resolved in turn.</summary>
    public static Uri? XmlBase(XElement? element, Uri document)
    {
        if (element is null) return null;
        var bases = element.AncestorsAndSelf().Select(e => (string?)e.Attribute(XNamespace.Xml + "base")).Where(b => !string.IsNullOrWhiteSpace(b)).Reverse().ToList();
        if (bases.Count == 0) return null;
        var current = document;
        foreach (var next in bases)
            if (Uri.TryCreate(current, next!.Trim(), out var resolved)) current = resolved;
        return current;
    }

    /// <summary>An element's content as markup, its text escaped again, so an HTML parser decodes it exactly once.</summary>
    static string Serialized(XElement element) => string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));

    static XElement? First(XElement item, params XName[] names)
    {
        foreach (var name in names)
            if (item.Element(name) is { } found && found.Value.Trim().Length > 0) return found;
        return null;
    }

    /// <summary>
    /// Whether a title carries HTML: a tag of an HTML element, a comment or a doctype. A bracketed word that is no HTML
    /// element (<c>Tom &amp; Jerry &lt;News&gt;</c>) is text.
    /// </summary>
    static bool LooksLikeMarkup(string text) => text.Contains('<') && HtmlTag().IsMatch(text);

    [System.Text.RegularExpressions.GeneratedRegex(@"<!--|<!doctype|</?(?:a|abbr|acronym|address|applet|area|article|aside|audio|b|base|basefont|bdi|bdo|big|blink|blockquote|body|br|button|canvas|caption|center|cite|code|col|colgroup|dd|del|details|dfn|div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|frame|frameset|h[1-6]|head|header|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|mark|marquee|meta|nav|noscript|object|ol|optgroup|option|p|param|pre|q|s|samp|script|section|select|small|source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|textarea|tfoot|th|thead|time|title|tr|tt|u|ul|var|video|wbr)(?=[\s/>])", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex HtmlTag();

    static string OneLine(string text) => PlainText.OneLine(text);

    static bool IsHttpUrl(string text) => HttpAddresses.Parse(text) is not null;

    static string FromBase64(string text)
    {
        try
        {
            return TextDecoding.StrictUtf8.GetString(Convert.FromBase64String(text.Trim()));
        }
        catch (Exception ex) when (ex is FormatException or System.Text.DecoderFallbackException)
        {
            return text;
        }
    }
}

public enum ItemTextKind { Html, Text }

/// <summary>A body of an item as the feed wrote it (HTML or text), and its plain text on demand: converting costs more than reading the XML.</summary>
public readonly record struct ItemText(string Raw, ItemTextKind Kind)
{
    public static ItemText Html(string? raw) => new(raw ?? "", ItemTextKind.Html);

    public string ToPlainText() => Kind == ItemTextKind.Text ? PlainText.FromText(Raw) : PlainText.FromHtml(Raw);
}
