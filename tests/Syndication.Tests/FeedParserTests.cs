using System.Text;
using Syndication.Feeds;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

[Trait(SecondPass.Name, SecondPass.TimeZone)]
public sealed class FeedParserTests
{
    static FeedParserTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // to write the test bytes

    static ParsedFeed ParseFile(string name, string? mediaType = "application/xml", string? charset = null) =>
        FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/feed"), File.ReadAllBytes(Repo.TestData("feeds/" + name)), mediaType, charset));

    [Theory]
    [InlineData("rss091.xml", "http://wire.example/")]
    [InlineData("rss10.rdf", "http://rdf.example/")]
    [InlineData("atom.xml", "https://atom.example/")]
    [InlineData("pakistan-today.xml", "https://www.pakistantoday.com.pk/")]
    public void A_feed_names_its_site_from_its_channel_link(string file, string site) => Assert.Equal(site, ParseFile(file).Site);

    [Theory]
    [InlineData("""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><link rel="self" href="https://x.example/feed"/><link rel="alternate" type="text/html" href="/blog/"/></feed>""", "http://127.0.0.1/blog/")]
    [InlineData("""<rss version="2.0"><channel><title>t</title><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="https://x.example/feed"/><link>javascript:alert(1)</link></channel></rss>""", null)]
    [InlineData("""<rss version="2.0"><channel><title>t</title><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="https://x.example/feed"/></channel></rss>""", null)]
    public void A_site_is_the_alternate_link_resolved_and_only_ever_http(string xml, string? site) =>
        Assert.Equal(site, FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/feed"), Encoding.UTF8.GetBytes(xml), "application/xml", "utf-8")).Site);

    [Fact]
    public void Rss_091_in_latin1_decodes_entities_and_keys_by_link()
    {
        var feed = ParseFile("rss091.xml");

        Assert.Equal("Café Wire", feed.Title);
        var entry = Assert.Single(feed.Entries);
        Assert.Equal("Zürich talks resume", entry.Title);
        Assert.Equal("http://wire.example/zurich", entry.Key);
        Assert.Equal("Delegates met in Zürich & Geneva.", entry.Text);
        Assert.Null(entry.Published);
    }

    [Fact]
    public void Rss_10_reads_dc_creator_and_date_and_strips_html()
    {
        var entry = Assert.Single(ParseFile("rss10.rdf").Entries);

        Assert.Equal("Ayesha Khan", entry.Author);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 15, 0, TimeSpan.Zero), entry.Published);
        Assert.Equal("The report named the Haqqani network.", entry.Text);
        Assert.Equal("http://rdf.example/story-1", entry.Key);
    }

    [Fact]
    public void Atom_uses_id_content_author_and_resolves_relative_links()
    {
        var feed = ParseFile("atom.xml");
        var entry = Assert.Single(feed.Entries);

        Assert.Equal("Atom Desk", feed.Title);
        Assert.Equal("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", entry.Key);
        Assert.Equal("https://atom.example/2026/11/isi-kabul", entry.Link);
        Assert.Equal("Staff Reporter", entry.Author);
        Assert.Equal(["Region"], entry.Categories);
        Assert.Equal("Short teaser.", entry.Summary);
        Assert.Equal("The ISI chief arrived in Kabul on Friday.\nTalks focused on the border.", entry.Text);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 13, 30, 2, TimeSpan.Zero), entry.Published);
    }

    [Fact]
    public void Item_without_guid_or_link_is_keyed_by_a_hash_of_title_and_date()
    {
        var xml = Rss.WordPress("Desk", new Item("Same title", Published: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            new Item("Same title", Published: new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)));

        var first = FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/"), Encoding.UTF8.GetBytes(xml), "application/rss+xml", "utf-8"));
        var second = FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/"), Encoding.UTF8.GetBytes(xml), "application/rss+xml", "utf-8"));

        Assert.Equal(2, first.Entries.Count);
        Assert.All(first.Entries, e => Assert.StartsWith("sha256:", e.Key));
        Assert.NotEqual(first.Entries[0].Key, first.Entries[1].Key);
        Assert.Equal(first.Entries.Select(e => e.Key), second.Entries.Select(e => e.Key));
    }

    [Fact]
    public void Charset_from_the_http_header_is_used_when_the_xml_declares_none()
    {
        var xml = "<rss version=\"2.0\"><channel><title>Presse</title><item><title>Genève accord signé</title><link>http://x.example/1</link></item></channel></rss>";
        var bytes = Encoding.Latin1.GetBytes(xml);

        var feed = FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/"), bytes, "text/xml", "iso-8859-1"));

        Assert.Equal("Genève accord signé", Assert.Single(feed.Entries).Title);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>hi</body></html>", "application/xml", "HTML page")]
    [InlineData("<html><body>hi</body></html>", null, "HTML page")]
    [InlineData("<rss version=\"2.0\"><channel><title lang=en>A</title></channel></rss>", "application/rss+xml", "malformed XML at line 1")]
    [InlineData("<?xml version=\"1.0\"?><note><to>Tove</to></note>", "application/xml", "not an RSS or Atom feed")]
    [InlineData("", "application/xml", "the response body is empty")]
    public void Bad_feeds_fail_with_a_reason_an_operator_can_act_on(string body, string? mediaType, string reason)
    {
        var error = Assert.Throws<FeedFetchException>(() =>
            FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/"), Encoding.UTF8.GetBytes(body), mediaType, null)));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Entity_expansion_and_deep_nesting_fail_that_feed_quickly()
    {
        var laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">" +
            string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : (i - 1).ToString())};", 10))}\">")) +
            "]><rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>";
        var deep = "<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><description>" +
            string.Concat(Enumerable.Repeat("<![CDATA[", 1)) + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "]]></description></item></channel></rss>";
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.Throws<FeedFetchException>(() => FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/"), Encoding.UTF8.GetBytes(laughs), "application/rss+xml", null)));
        var nested = FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/"), Encoding.UTF8.GetBytes(deep), "application/rss+xml", null));

        Assert.Single(nested.Entries);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
    }

    [Fact]
    public void The_quick_nesting_count_agrees_with_the_xml_reader_on_every_well_formed_corpus_file()
    {
        var root = Repo.TestData("corpus");
        var compared = 0;
        foreach (var line in File.ReadLines(Path.Combine(root, "manifest.jsonl")))
        {
            var text = File.ReadAllText(Path.Combine(root, System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("path").GetString()!));
            try { System.Xml.Linq.XDocument.Parse(text); }
            catch (System.Xml.XmlException) { continue; } // malformed: the reader stops early, and only a count past the limit is checked again
            Assert.True(FeedParser.TagDepth(text) == FeedParser.ReaderDepth(text) + 1, $"{FeedParser.TagDepth(text)} {FeedParser.ReaderDepth(text)} {line}");
            compared++;
        }
        Assert.True(compared > 1500, $"{compared} files compared");
    }

    [Fact]
    public void A_feed_of_deeply_nested_elements_is_refused_in_linear_time()
    {
        // 100,000 nested elements in 700 KB: FeedReader's tree took 16 s (34 s measured on a busier machine).
        var deep = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><item><title>x</title><description>"
            + string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000)) + "</description></item></channel></rss>";
        var started = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.Throws<FeedFetchException>(() => FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/"), Encoding.UTF8.GetBytes(deep), "application/rss+xml", null)));

        Assert.Equal("the feed nests XML elements more than 256 levels deep; no real feed does, so it is not read", error.Message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"took {started.Elapsed}");
    }

    [Fact]
    public void A_feed_labelled_with_a_retired_encoding_is_read_as_utf8_instead_of_failing()
    {
        // .NET throws NotSupportedException for utf-7, which used to escape the parser's error handling.
        var xml = Rss.WordPress("Pakistan Today", new Item("Kayani in Zürich", "https://pt.example/a")).Replace("encoding=\"UTF-8\"", "encoding=\"utf-7\"");
        Assert.Contains("utf-7", xml);

        var feed = FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/"), Encoding.UTF8.GetBytes(xml), "application/rss+xml", "utf-7"));

        Assert.Equal("Kayani in Zürich", Assert.Single(feed.Entries).Title);
    }

    static string TitleOf(byte[] bytes, string? charset = null) =>
        Assert.Single(FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/"), bytes, "application/rss+xml", charset)).Entries).Title;

    static string Feed(string encoding, string title) =>
        $"<?xml version=\"1.0\" encoding=\"{encoding}\"?><rss version=\"2.0\"><channel><title>T</title><item><title>{title}</title><guid>1</guid></item></channel></rss>";

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("latin1")]
    [InlineData("us-ascii")]
    public void Latin1_and_ascii_labels_decode_as_windows_1252_as_browsers_do(string label)
    {
        // ’ “ ” € are windows-1252 bytes 0x92-0x94 and 0x80; read as true Latin-1 they were invisible C1 controls.
        var bytes = Encoding.GetEncoding(1252).GetBytes(Feed(label, "It’s “news” for €5"));
        Assert.Equal("It’s “news” for €5", TitleOf(bytes));
    }

    [Theory]
    [InlineData("cp1251", 1251, "Новости")]
    [InlineData("euc_jp", 51932, "日本語のニュース")]
    public void Python_style_labels_are_understood(string label, int codePage, string title) =>
        Assert.Equal(title, TitleOf(Encoding.GetEncoding(codePage).GetBytes(Feed(label, title))));

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    [InlineData("utf-32be")]
    public void Utf16_and_utf32_without_a_byte_order_mark_are_detected(string encoding)
    {
        var wide = encoding switch
        {
            "utf-16le" => (Encoding)new UnicodeEncoding(false, false),
            "utf-16be" => new UnicodeEncoding(true, false),
            "utf-32le" => new UTF32Encoding(false, false),
            _ => new UTF32Encoding(true, false),
        };
        Assert.Equal("Zürich العربية", TitleOf(wide.GetBytes(Feed(encoding[..6], "Zürich العربية"))));
    }
}
