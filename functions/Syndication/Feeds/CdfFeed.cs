using System.Xml;
using System.Xml.Linq;

namespace Syndication.Feeds;

/// <summary>
/// Microsoft's Channel Definition Format (CDF, 1997), still read by feedparser: a <c>CHANNEL</c> of <c>ITEM</c>s whose
/// address is the <c>HREF</c> attribute, whose date is <c>LASTMOD</c> and whose text is <c>ABSTRACT</c>. Rewritten as the
/// RSS 2.0 it maps onto, so one reader serves both.
/// </summary>
static class CdfFeed
{
    static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    /// <summary>The document as RSS 2.0 when its root is a CDF <c>CHANNEL</c>; null otherwise.</summary>
    public static string? ToRss(string text)
    {
        XElement root;
        try
        {
            root = XDocument.Parse(text).Root!;
        }
        catch (XmlException)
        {
            return null;
        }
        if (!Is(root, "CHANNEL")) return null;
        var site = Uri.TryCreate(Attribute(root, "BASE") ?? Attribute(root, "HREF"), UriKind.Absolute, out var b) ? b : null;
        var channel = new XElement("channel", Fields(root, site));
        foreach (var item in root.Elements().Where(e => Is(e, "ITEM")))
            channel.Add(new XElement("item", Fields(item, site)));
        return new XDocument(new XElement("rss", new XAttribute("version", "2.0"), new XAttribute(XNamespace.Xmlns + "dc", Dc), channel)).ToString(SaveOptions.DisableFormatting);
    }

    static IEnumerable<XElement> Fields(XElement element, Uri? site)
    {
        if (Child(element, "TITLE") is { } title) yield return new XElement("title", title);
        if (Attribute(element, "HREF") is { } href)
            yield return new XElement("link", site is not null && Uri.TryCreate(site, href, out var link) ? link.ToString() : href);
        if (Child(element, "ABSTRACT") is { } summary) yield return new XElement("description", summary);
        if (Attribute(element, "LASTMOD") is { } modified) yield return new XElement(Dc + "date", modified);
    }

    // CDF came before XML settled on case: CHANNEL and channel are the same element.
    static bool Is(XElement element, string name) => string.Equals(element.Name.LocalName, name, StringComparison.OrdinalIgnoreCase);

    static string? Child(XElement element, string name) => element.Elements().FirstOrDefault(e => Is(e, name))?.Value;

    static string? Attribute(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => string.Equals(a.Name.LocalName, name, StringComparison.OrdinalIgnoreCase))?.Value.Trim();
}
