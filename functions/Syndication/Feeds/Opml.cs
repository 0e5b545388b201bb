using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Syndication.Config;

namespace Syndication.Feeds;

/// <summary>A feed an OPML file lists: its title, address, site, category (the innermost of nested ones), line, and this bot's own settings.</summary>
public sealed record OpmlFeed(string? Title, string Url, string? SiteUrl, string? Category, int Line)
{
    /// <summary>The <c>syndication:</c> attributes an export wrote (id, backfill, fullText, minIntervalMinutes, enabled, tags, rules).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>How an editor finds the outline in the file: its line and title.</summary>
    public string Where => $"line {Line}{(string.IsNullOrWhiteSpace(Title) ? "" : $" ('{Title}')")}";
}

/// <summary>An outline that cannot be imported, and why, in words that name it.</summary>
public sealed record OpmlProblem(string Where, string Message)
{
    public override string ToString() => $"{Where}: {Message}";
}

/// <summary>What an OPML file lists: its feeds in order, and the outlines refused.</summary>
public sealed record OpmlDocument(string? Title, IReadOnlyList<OpmlFeed> Feeds, IReadOnlyList<OpmlProblem> Problems);

/// <summary>A file that is not an OPML file this bot can read at all: too large, not XML, not OPML, too many outlines.</summary>
public sealed class OpmlException(string message) : Exception(message);

/// <summary>
/// OPML, the file every feed reader imports and exports (<see href="https://opml.org/spec2.opml"/>): read as feedly,
/// Inoreader, miniflux, FreshRSS, NetNewsWire, Thunderbird and RSStT write it (1.0 and 2.0, nested categories,
/// <c>url</c> for <c>xmlUrl</c>), and written as OPML 2.0 with this bot's own settings in its own namespace, as miniflux
/// does with <c>miniflux:</c>. Pure: bytes in, records out; and a configuration in, text out.
/// </summary>
public static partial class Opml
{
    /// <summary>The namespace of this bot's own attributes, <c>syndication:</c>.</summary>
    public const string Namespace = "urn:syndication:opml";

    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxOutlines = 5_000;

    static readonly XNamespace Own = Namespace;

    /// <summary>
    /// Reads an OPML file. A whole file that cannot be read (10 MB or more, not XML, not OPML, more than 5,000 outlines)
    /// throws <see cref="OpmlException"/> with the reason and, for broken XML, the line. Outlines that cannot be feeds
    /// (empty, not http or https, the same feed twice) are listed in <see cref="OpmlDocument.Problems"/> by line and title.
    /// </summary>
    public static OpmlDocument Read(byte[] content)
    {
        if (content.Length >= MaxBytes) throw new OpmlException($"the file is {content.Length / 1024.0 / 1024:0.0} MB; an OPML file of feeds is far smaller, and 10 MB is the most read");
        var text = TextDecoding.Decode(content, TextDecoding.XmlDeclared(content), null);
        XDocument document;
        try
        {
            document = Parse(text);
        }
        catch (XmlException)
        {
            // Exports write a bare & in an address often enough (miniflux reads them): mend what feeds' repairs mend, once.
            try
            {
                document = Parse(XmlRepair.Mend(text).Text);
            }
            catch (XmlException ex)
            {
                throw new OpmlException($"not XML: {ex.Message}");
            }
        }
        if (document.Root is not { } root || root.Name.LocalName != "opml")
            throw new OpmlException($"not an OPML file: its root element is <{document.Root?.Name.LocalName ?? "nothing"}>, not <opml>");
        var outlines = root.Descendants().Count(e => e.Name.LocalName == "outline");
        if (outlines > MaxOutlines) throw new OpmlException($"{outlines:N0} outlines; at most {MaxOutlines:N0} are read at once");

        var feeds = new List<OpmlFeed>();
        var problems = new List<OpmlProblem>();
        var seen = new Dictionary<string, OpmlFeed>(StringComparer.Ordinal);
        var body = root.Elements().FirstOrDefault(e => e.Name.LocalName == "body");
        foreach (var outline in (body ?? root).Elements().Where(e => e.Name.LocalName == "outline"))
            Walk(outline, [], feeds, problems, seen);
        var title = root.Elements().FirstOrDefault(e => e.Name.LocalName == "head")?.Elements().FirstOrDefault(e => e.Name.LocalName == "title")?.Value.Trim();
        return new OpmlDocument(string.IsNullOrEmpty(title) ? null : title, feeds, problems);
    }

    static XDocument Parse(string text) =>
        XDocument.Parse(text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n'), LoadOptions.SetLineInfo);

    static void Walk(XElement outline, List<string> categories, List<OpmlFeed> feeds, List<OpmlProblem> problems, Dictionary<string, OpmlFeed> seen)
    {
        var line = ((IXmlLineInfo)outline).LineNumber;
        var title = Attribute(outline, "title") ?? Attribute(outline, "text");
        var url = Attribute(outline, "xmlUrl") ?? Attribute(outline, "url");
        var children = outline.Elements().Where(e => e.Name.LocalName == "outline").ToList();
        if (url is null)
        {
            // A category (a folder of feeds); nested ones are joined as one path.
            if (children.Count == 0)
            {
                problems.Add(new OpmlProblem(Where(line, title), "an outline with no xmlUrl and no feeds inside it"));
                return;
            }
            foreach (var child in children) Walk(child, [.. categories, title ?? ""], feeds, problems, seen);
            return;
        }
        // The innermost category names the feed's, as miniflux reads nested ones ("My Feeds" > "Pakistan" is Pakistan).
        var category = categories.LastOrDefault(c => c.Length > 0);
        var feed = new OpmlFeed(title, url, Attribute(outline, "htmlUrl"), category, line)
        {
            Settings = outline.Attributes().Where(a => a.Name.Namespace == Own).ToDictionary(a => a.Name.LocalName, a => a.Value, StringComparer.Ordinal),
        };
        if (Primitives.HttpAddresses.Parse(url) is not { } address)
        {
            problems.Add(new OpmlProblem(feed.Where, $"'{url}' is not an http:// or https:// address"));
            return;
        }
        if (seen.TryGetValue(Key(address), out var first))
        {
            problems.Add(new OpmlProblem(feed.Where, $"the same feed as {first.Where}"));
            return;
        }
        seen[Key(address)] = feed;
        feeds.Add(feed);
        foreach (var child in children) Walk(child, categories, feeds, problems, seen); // a feed outline holding more (rare): read them too
    }

    static string Where(int line, string? title) => $"line {line}{(string.IsNullOrWhiteSpace(title) ? "" : $" ('{title}')")}";

    /// <summary>An attribute by name in any case: exporters write <c>xmlUrl</c>, <c>xmlurl</c>, <c>XMLURL</c> and <c>XmlUrl</c> (NetNewsWire's tests have them all).</summary>
    static string? Attribute(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => a.Name.Namespace == XNamespace.None && string.Equals(a.Name.LocalName, name, StringComparison.OrdinalIgnoreCase))?.Value.Trim() is { Length: > 0 } value ? value : null;

    /// <summary>
    /// One feed's address however it is written: scheme, case of the host, a <c>www.</c>, a default port and a trailing
    /// slash set aside. Two outlines, or an outline and a configured feed, with one key are one feed.
    /// </summary>
    public static string Key(Uri address)
    {
        var host = address.IdnHost.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
        return host + (address.IsDefaultPort ? "" : ":" + address.Port.ToString(CultureInfo.InvariantCulture)) + address.AbsolutePath.TrimEnd('/') + address.Query;
    }

    /// <summary>
    /// The configuration's feeds as OPML 2.0: one <c>outline type="rss"</c> each (<c>text</c>, <c>title</c>, <c>xmlUrl</c>,
    /// and <c>htmlUrl</c> where <paramref name="sites"/> knows the feed's site, by id), inside an outline per category (a feed's first tag) when feeds have tags, with this bot's settings as
    /// <c>syndication:</c> attributes: id, backfill, fullText, minIntervalMinutes, enabled, tags, and the rules that name
    /// the feed (by id or tag).
    /// </summary>
    public static string Write(SyndicationConfig config, DateTimeOffset now, IReadOnlyDictionary<string, string>? sites = null)
    {
        XElement Outline(FeedDefinition feed)
        {
            var element = new XElement("outline",
                new XAttribute("type", "rss"), new XAttribute("text", feed.DisplayName), new XAttribute("title", feed.DisplayName), new XAttribute("xmlUrl", feed.Url.ToString()),
                sites?.GetValueOrDefault(feed.Id) is { } site ? new XAttribute("htmlUrl", site) : null,
                new XAttribute(Own + "id", feed.Id), new XAttribute(Own + "backfill", feed.Backfill.ToString(CultureInfo.InvariantCulture)),
                new XAttribute(Own + "fullText", feed.FullText.ToString().ToLowerInvariant()),
                new XAttribute(Own + "minIntervalMinutes", feed.MinIntervalMinutes.ToString(CultureInfo.InvariantCulture)),
                new XAttribute(Own + "enabled", feed.Enabled ? "true" : "false"));
            if (feed.Name is null) element.Add(new XAttribute(Own + "unnamed", "true")); // the title is the id, not a name
            if (feed.Tags is { Count: > 0 } tags) element.Add(new XAttribute(Own + "tags", string.Join(' ', tags)));
            var rules = config.Rules.Where(r => r.Feeds is not null && config.Covers(r, feed.Id)).Select(r => r.Id).ToList();
            if (rules.Count > 0) element.Add(new XAttribute(Own + "rules", string.Join(' ', rules)));
            return element;
        }

        var body = new XElement("body");
        foreach (var group in config.Feeds.GroupBy(f => f.Tags?.FirstOrDefault()))
        {
            if (group.Key is null) body.Add(group.Select(Outline));
            else body.Add(new XElement("outline", new XAttribute("text", group.Key), new XAttribute("title", group.Key), group.Select(Outline)));
        }
        var opml = new XElement("opml", new XAttribute("version", "2.0"), new XAttribute(XNamespace.Xmlns + "syndication", Namespace),
            new XElement("head", new XElement("title", "Syndication feeds"), new XElement("dateCreated", now.ToString("r", CultureInfo.InvariantCulture))),
            body);
        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
            new XDocument(opml).Save(writer);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + text.ToString().Replace("\r\n", "\n") + "\n";
    }

    /// <summary>An id for a feed from its title (<c>The Express Tribune</c> → <c>the-express-tribune</c>), else its host; clashes get <c>-2</c>, <c>-3</c>.</summary>
    public static string IdFor(string? title, Uri address, ISet<string> taken)
    {
        var fromTitle = Slug(title ?? "");
        var host = address.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? address.Host[4..] : address.Host;
        var id = fromTitle.Length >= 2 ? fromTitle : Slug(host) is { Length: > 0 } fromHost ? fromHost : "feed";
        id = id[..Math.Min(id.Length, 56)].TrimEnd('-');
        var candidate = id;
        for (var n = 2; taken.Contains(candidate); n++) candidate = $"{id}-{n}";
        return candidate;
    }

    static string Slug(string text)
    {
        return NotIdCharacters().Replace(Syntax.TextFolding.Folded(text), "-").Trim('-');
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotIdCharacters();
}
