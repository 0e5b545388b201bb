using System.Xml.Linq;

namespace Syndication.Tests.Infrastructure;

/// <summary>An item for a test feed. Null fields are left out of the XML, as real feeds do.</summary>
sealed record Item(string? Title, string? Link = null, string? Guid = null, string? Description = null, string? Content = null,
    DateTimeOffset? Published = null, string? Creator = null, params string[] Categories);

/// <summary>Builds feeds the way publishers write them: WordPress-style RSS 2.0 (content:encoded, dc:creator) and Atom.</summary>
static class Rss
{
    static readonly XNamespace ContentNs = "http://purl.org/rss/1.0/modules/content/";
    static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    static readonly XNamespace AtomNs = "http://www.w3.org/2005/Atom";

    public static string WordPress(string title, params Item[] items)
    {
        var channel = new XElement("channel",
            new XElement("title", title),
            new XElement("link", "https://news.example/"),
            new XElement("description", "Test feed"),
            items.Select(i => new XElement("item",
                Optional("title", i.Title),
                Optional("link", i.Link),
                i.Guid is null ? null : new XElement("guid", new XAttribute("isPermaLink", "false"), i.Guid),
                i.Published is null ? null : new XElement("pubDate", i.Published.Value.ToString("r")),
                i.Creator is null ? null : new XElement(Dc + "creator", new XCData(i.Creator)),
                i.Categories.Select(c => new XElement("category", new XCData(c))),
                i.Description is null ? null : new XElement("description", new XCData(i.Description)),
                i.Content is null ? null : new XElement(ContentNs + "encoded", new XCData(i.Content)))));
        var rss = new XElement("rss", new XAttribute("version", "2.0"),
            new XAttribute(XNamespace.Xmlns + "content", ContentNs), new XAttribute(XNamespace.Xmlns + "dc", Dc), channel);
        return new XDeclaration("1.0", "UTF-8", null) + "\n" + rss;
    }

    public static string Atom(string title, params Item[] items)
    {
        var feed = new XElement(AtomNs + "feed",
            new XElement(AtomNs + "title", title),
            new XElement(AtomNs + "id", "urn:test:feed"),
            new XElement(AtomNs + "updated", DateTimeOffset.UtcNow.ToString("o")),
            items.Select(i => new XElement(AtomNs + "entry",
                Optional(AtomNs + "title", i.Title),
                i.Link is null ? null : new XElement(AtomNs + "link", new XAttribute("href", i.Link)),
                Optional(AtomNs + "id", i.Guid),
                i.Published is null ? null : new XElement(AtomNs + "published", i.Published.Value.ToString("o")),
                i.Creator is null ? null : new XElement(AtomNs + "author", new XElement(AtomNs + "name", i.Creator)),
                i.Description is null ? null : new XElement(AtomNs + "summary", new XAttribute("type", "html"), i.Description),
                i.Content is null ? null : new XElement(AtomNs + "content", new XAttribute("type", "html"), i.Content))));
        return new XDeclaration("1.0", "utf-8", null) + "\n" + feed;
    }

    static XElement? Optional(XName name, string? value) => value is null ? null : new XElement(name, value);
}

/// <summary>The Pakistan Today article the project was built around, as a WordPress feed item.</summary>
static class Fixture
{
    public const string Title = "Kayani balks at US demands to cooperate: NYT";
    public const string Link = "https://www.pakistantoday.com.pk/2011/05/14/kayani-balks-at-us-demands-to-cooperate-nyt/";

    /// <summary>The article's paragraphs: the fixture without the site name, the headline and the trailing site chrome.</summary>
    public static IReadOnlyList<string> Paragraphs { get; } = File.ReadAllLines(Repo.TestData("pakistan-today-kayani.txt"))
        .Select(l => l.Trim()).Where(l => l.Length > 0)
        .Where(l => l is not ("Pakistan Today" or Title or "Exit mobile version"))
        .ToList();

    public static Item Item(DateTimeOffset published) => new(
        Title,
        Link,
        Guid: "https://www.pakistantoday.com.pk/?p=112233",
        Description: "<p>" + string.Join(' ', Paragraphs[0].Split(' ').Take(40)) + " [&#8230;]</p><p>The post <a href=\"" + Link + "\">" + Title + "</a> appeared first on <a href=\"https://www.pakistantoday.com.pk\">Pakistan Today</a>.</p>",
        Content: string.Concat(Paragraphs.Select(p => $"<p>{System.Net.WebUtility.HtmlEncode(p)}</p>\n")),
        Published: published,
        Creator: "News Desk",
        Categories: ["National", "Top Stories"]);
}
