using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Syndication.Feeds;

/// <summary>
/// Mends the mistakes real feeds make that a strict XML parser rejects, the way forgiving feed readers do, so one stray
/// character does not cost subscribers the whole feed. Used only after a strict parse failed; each repair is named.
/// </summary>
static partial class XmlRepair
{
    /// <summary>The text with what could be mended mended, and what was done; the same text and no repairs when nothing applied.</summary>
    public static (string Text, IReadOnlyList<string> Repairs) Mend(string xml)
    {
        var repairs = new List<string>();

        // An XML declaration must come first: drop what precedes it (whitespace, a stray comment, a PHP notice).
        var declaration = xml.IndexOf("<?xml", StringComparison.Ordinal);
        if (declaration > 0)
        {
            xml = xml[declaration..];
            repairs.Add("removed text before the XML declaration");
        }

        var controls = 0;
        var text = new StringBuilder(xml.Length);
        foreach (var c in xml)
        {
            // XML 1.0 §2.2 allows tab, line feed and carriage return among the C0 controls, and nothing else.
            if (c < ' ' && c is not ('\t' or '\n' or '\r') || c is '\uFFFE' or '\uFFFF') { controls++; continue; }
            text.Append(c);
        }
        if (controls > 0) repairs.Add($"removed {controls} control character(s)");
        xml = text.ToString();

        var declared = DeclaredEntities(xml);
        var entities = 0;
        var ampersands = 0;
        var capitalX = 0;
        // References mean nothing inside CDATA sections and comments, so those are left exactly as they are.
        xml = Reference().Replace(xml, m =>
        {
            if (m.Groups["verbatim"].Success) return m.Value;
            var name = m.Groups["name"].Value;
            if (m.Groups["hex"].Success)
            {
                if (m.Groups["x"].Value == "x") return m.Value;
                capitalX++;
                return $"&#x{m.Groups["hex"].Value};"; // XML's character references take a small x
            }
            if (m.Groups["dec"].Success || name is "amp" or "lt" or "gt" or "quot" or "apos" || declared.Contains(name)) return m.Value;
            if (name.Length > 0 && m.Groups["semicolon"].Success)
            {
                // An HTML entity used in XML without a DTD: write the character itself (&eacute; → é).
                var decoded = WebUtility.HtmlDecode(m.Value);
                if (decoded != m.Value) { entities++; return decoded is "<" or "&" ? m.Value : Escape(decoded); }
            }
            ampersands++;
            return "&amp;" + m.Value[1..]; // a bare '&', as in a URL's query string
        });
        if (entities > 0) repairs.Add($"replaced {entities} HTML entity reference(s) XML does not know");
        if (ampersands > 0) repairs.Add($"escaped {ampersands} bare '&'");
        if (capitalX > 0) repairs.Add($"wrote {capitalX} numeric character reference(s) with a small x");

        // A prefix used without its namespace declaration (itunes:, media:, content:, dc:, atom:): declare the usual one.
        var root = RootStart().Match(xml);
        if (root.Success)
        {
            var missing = Prefixes.Where(p => xml.Contains($"<{p.Key}:", StringComparison.Ordinal) && !xml.Contains($"xmlns:{p.Key}=", StringComparison.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                var at = root.Index + root.Length;
                xml = xml[..at] + string.Concat(missing.Select(p => $" xmlns:{p.Key}=\"{p.Value}\"")) + xml[at..];
                repairs.Add($"declared the namespace prefix(es) {string.Join(", ", missing.Select(p => p.Key))}");
            }
        }
        return (xml, repairs);
    }

    /// <summary>
    /// A document cut off in transit: keep every item or entry that is complete and close what is open, so the items
    /// before the cut are read. Null when there is no complete item to keep.
    /// </summary>
    public static string? CloseTruncated(string xml) => CloseAfterLastItem(xml) ?? CloseOpenElements(xml);

    /// <summary>A document cut off outside any item (in the channel's own elements): close whatever is open.</summary>
    static string? CloseOpenElements(string xml)
    {
        var open = new Stack<string>();
        try
        {
            using var reader = System.Xml.XmlReader.Create(new StringReader(xml), new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Ignore, XmlResolver = null });
            while (reader.Read())
            {
                if (reader.NodeType == System.Xml.XmlNodeType.Element && !reader.IsEmptyElement) open.Push(reader.Name);
                else if (reader.NodeType == System.Xml.XmlNodeType.EndElement && open.Count > 0) open.Pop();
            }
            return null; // it was not cut off
        }
        catch (System.Xml.XmlException)
        {
        }
        // A partial item would be read with a cut-off title or text: only a cut among the channel's own elements is closed.
        if (open.Count == 0 || open.Any(name => name.EndsWith("item", StringComparison.Ordinal) || name.EndsWith("entry", StringComparison.Ordinal))) return null;
        var end = xml.LastIndexOf('>');
        var kept = end < 0 ? xml : xml[..(end + 1)];
        return kept + string.Concat(open.Select(name => $"</{name}>"));
    }

    static string? CloseAfterLastItem(string xml)
    {
        var root = RootStart().Match(xml);
        if (!root.Success) return null;
        var rootName = root.Groups["name"].Value;
        var isAtom = rootName.EndsWith("feed", StringComparison.Ordinal);
        var itemEnd = isAtom ? "</entry>" : "</item>";
        var last = xml.LastIndexOf(itemEnd, StringComparison.Ordinal);
        if (last < 0) return null;
        var kept = xml[..(last + itemEnd.Length)];
        if (rootName.EndsWith("rss", StringComparison.Ordinal)) return kept + "</channel></rss>";
        return kept + $"</{rootName}>"; // Atom's feed, or RSS 1.0's rdf:RDF, where items follow the channel
    }

    /// <summary>
    /// End tags that do not match the element they close, mended the way HTML's tree builder treats them: an end tag
    /// naming an element open further up closes everything opened since. One naming no open element ends the element
    /// it stands in when that holds only text (a misspelt end tag: <c>&lt;title&gt;Fish&lt;/tilte&gt;</c>), and is
    /// dropped otherwise (a stray <c>&lt;/content&gt;</c> among an entry's elements). Null when every end tag matches.
    /// </summary>
    public static (string Text, string Repair)? BalanceTags(string xml)
    {
        var open = new List<string>();
        var text = new StringBuilder(xml.Length + 64);
        int dropped = 0, closed = 0, renamed = 0, at = 0;
        var onlyText = false;
        foreach (Match tag in Tag().Matches(xml))
        {
            text.Append(xml, at, tag.Index - at);
            at = tag.Index + tag.Length;
            if (tag.Groups["start"].Success)
            {
                onlyText = !tag.Groups["empty"].Success;
                if (onlyText) open.Add(tag.Groups["start"].Value);
            }
            else if (tag.Groups["end"].Success)
            {
                var name = tag.Groups["end"].Value;
                var index = open.LastIndexOf(name);
                if (index < 0 && onlyText && open.Count > 0)
                {
                    renamed++;
                    text.Append("</").Append(open[^1]).Append('>');
                    open.RemoveAt(open.Count - 1);
                    onlyText = false;
                    continue;
                }
                onlyText = false;
                if (index < 0) { dropped++; continue; }
                for (var i = open.Count - 1; i > index; i--, closed++) text.Append("</").Append(open[i]).Append('>');
                open.RemoveRange(index, open.Count - index);
            }
            text.Append(tag.Value);
        }
        if (dropped == 0 && closed == 0 && renamed == 0) return null;
        text.Append(xml, at, xml.Length - at);
        var repairs = new List<string>();
        if (renamed > 0) repairs.Add($"read {renamed} misspelt end tag(s) as the end of the element they stand in");
        if (dropped > 0) repairs.Add($"dropped {dropped} end tag(s) that closed no open element");
        if (closed > 0) repairs.Add($"closed {closed} element(s) left open before an end tag");
        return (text.ToString(), string.Join("; ", repairs));
    }

    /// <summary>Markup a tag scan must step over whole (comments, CDATA, declarations), then start and end tags.</summary>
    [GeneratedRegex(@"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[?!][^>]*>|</(?<end>[^\s>/]+)\s*>|<(?<start>[A-Za-z_][\w.:-]*)(?:""[^""]*""|'[^']*'|[^'"">])*?(?<empty>/)?>", RegexOptions.Singleline)]
    private static partial Regex Tag();

    /// <summary>An &lt;rss&gt; document whose items stand outside any &lt;channel&gt;, with one put around them; null otherwise.</summary>
    public static string? WrapInChannel(string xml)
    {
        var rss = RssStart().Match(xml);
        var end = xml.LastIndexOf("</rss>", StringComparison.Ordinal);
        if (!rss.Success || end < rss.Index || xml.Contains("<channel", StringComparison.Ordinal)) return null;
        var at = rss.Index + rss.Length;
        return xml[..at] + "<channel>" + xml[at..end] + "</channel>" + xml[end..];
    }

    [GeneratedRegex(@"<rss\b[^>]*>")]
    private static partial Regex RssStart();

    /// <summary>
    /// RSS whose own elements carry a namespace prefix (<c>&lt;r:rss&gt;</c>, <c>&lt;rss:channel&gt;</c>), which FeedReader
    /// cannot read: the same document with the prefix dropped, RSS 2.0 in no namespace and RSS 1.0 or 0.90 as the default
    /// namespace, as they are usually written. Null when the document has no such prefix.
    /// </summary>
    public static string? UnprefixRss(string xml)
    {
        var declaration = RssPrefixDeclaration().Match(xml);
        if (!declaration.Success) return null;
        var prefix = declaration.Groups["prefix"].Value;
        var ns = declaration.Groups["ns"].Value;
        if (!xml.Contains($"<{prefix}:", StringComparison.Ordinal)) return null;
        var unprefixed = xml.Replace($"<{prefix}:", "<", StringComparison.Ordinal).Replace($"</{prefix}:", "</", StringComparison.Ordinal);
        var replacement = ns == "http://backend.userland.com/rss2" || unprefixed.Contains(" xmlns=\"", StringComparison.Ordinal) ? "" : $"xmlns=\"{ns}\"";
        return unprefixed.Replace(declaration.Value, replacement, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"xmlns:(?<prefix>[A-Za-z_][\w.-]*)=""(?<ns>http://backend\.userland\.com/rss2|http://purl\.org/rss/1\.0/|http://my\.netscape\.com/rdf/simple/0\.9/)""")]
    private static partial Regex RssPrefixDeclaration();

    /// <summary>Whether the text holds a feed's root element (<c>rss</c>, <c>feed</c> or <c>RDF</c>, with or without a prefix).</summary>
    public static bool HasFeedRoot(string text) => RootStart().IsMatch(text);

    static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;");

    static HashSet<string> DeclaredEntities(string xml) =>
        [.. EntityDeclaration().Matches(xml).Select(m => m.Groups[1].Value)];

    static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["itunes"] = "http://www.itunes.com/dtds/podcast-1.0.dtd",
        ["media"] = "http://search.yahoo.com/mrss/",
        ["content"] = "http://purl.org/rss/1.0/modules/content/",
        ["dc"] = "http://purl.org/dc/elements/1.1/",
        ["dcterms"] = "http://purl.org/dc/terms/",
        ["atom"] = "http://www.w3.org/2005/Atom",
        ["slash"] = "http://purl.org/rss/1.0/modules/slash/",
        ["wfw"] = "http://wellformedweb.org/CommentAPI/",
        ["sy"] = "http://purl.org/rss/1.0/modules/syndication/",
    };

    /// <summary>
    /// Every '&amp;' outside CDATA sections and comments: a numeric reference (decimal or hex, either case of x), a named
    /// one, or a bare ampersand. CDATA sections and comments match whole, to be kept as they are.
    /// </summary>
    [GeneratedRegex(@"(?<verbatim><!\[CDATA\[.*?\]\]>|<!--.*?-->)|&(?:#(?<x>[xX])(?<hex>[0-9A-Fa-f]+);|#(?<dec>[0-9]+);|(?<name>[A-Za-z][A-Za-z0-9._-]*)(?<semicolon>;)?)?", RegexOptions.Singleline)]
    private static partial Regex Reference();

    [GeneratedRegex(@"<!ENTITY\s+([A-Za-z_][\w.-]*)")]
    private static partial Regex EntityDeclaration();

    [GeneratedRegex(@"<(?<name>(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF))\b[^>]*?(?=/?>)")]
    private static partial Regex RootStart();
}
