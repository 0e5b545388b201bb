using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Syndication.Feeds;
using Syndication.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Syndication.Tests;

/// <summary>
/// The one-pass reading of simple feed HTML gives exactly the text the browser-grade tree (AngleSharp) gives: on every
/// piece of HTML in the public feed corpus and on 30,000 random documents of tags, entities and spaces. Pure: no I/O
/// beyond reading the corpus.
/// </summary>
public sealed class PlainTextFastPathTests(ITestOutputHelper output)
{
    static readonly HashSet<string> HtmlFields = ["description", "encoded", "summary", "content", "subtitle", "tagline", "info", "body", "title"];

    static IEnumerable<string> CorpusHtml()
    {
        var root = Repo.TestData("corpus");
        foreach (var line in File.ReadLines(Path.Combine(root, "manifest.jsonl")))
        {
            var path = Path.Combine(root, JsonDocument.Parse(line).RootElement.GetProperty("path").GetString()!);
            XDocument document;
            try { document = XDocument.Load(path); }
            catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException) { continue; }
            foreach (var element in document.Descendants().Where(e => HtmlFields.Contains(e.Name.LocalName) && !e.HasElements))
                if (element.Value.Length > 0) yield return element.Value;
        }
    }

    static IEnumerable<string> RandomHtml()
    {
        string[] pieces =
        [
            "<p>", "</p>", "<br>", "<br/>", "</br>", "<div class=\"x\">", "</div>", "<li>", "<ul>", "</ul>", "<h2>", "</h2>",
            "<a href=\"https://e.example/?a=1&amp;b=2\" title='x > y'>", "</a>", "<b>", "</b>", "<em>", "</em>", "<span>", "</span>",
            "<img src=\"i.jpg\" alt=\"<b>\">", "<blockquote>", "</blockquote>", "<figure>", "<figcaption>", "</figure>",
            "&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&eacute;", "&hellip;", "&#8217;", "&#x201C;", "&#128;", "&#0;", "&copy", "&bogus;",
            "AT&T", "a < b", " ", "  ", "\n", "\t", "\u00A0", "\u3000", "\u202E", "word", "کیانی", ".", "<!-- c -->", "<script>x</script>",
            "<table><tr><td>", "<pre>\n", "<custom-el>", "<p/>", "<a title=it's>",
        ];
        var random = new Random(20261129);
        for (var i = 0; i < 20_000; i++)
            yield return string.Concat(Enumerable.Range(0, random.Next(1, 16)).Select(_ => pieces[random.Next(pieces.Length)]));
    }

    /// <summary>Well-nested documents of the elements and entities feeds use, which mostly take the one pass.</summary>
    static IEnumerable<string> RandomNestedHtml()
    {
        string[] blocks = ["p", "div", "li", "ul", "h2", "blockquote", "figure", "figcaption", "section"];
        string[] inlines = ["a href=\"https://e.example/?a=1&amp;b=2\" title='a > b'", "b", "strong", "em", "i", "span class=\"x\"", "small", "sup"];
        string[] texts = ["Kayani", " ", "  \n ", "\t", "&amp;", "&nbsp;", "&hellip;", "&#8217;", "&#x201C;", "&eacute;", "\u00A0", "\u3000", "\u202E", "کیانی", "۔", "AT&T", "a&b", "<br>", "<br/>", "<img src=\"i.jpg\">", "."];
        var random = new Random(20261130);
        string Node(int depth) => random.Next(depth > 3 ? 1 : 4) switch
        {
            0 => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => texts[random.Next(texts.Length)])),
            1 => Wrap(inlines[random.Next(inlines.Length)], depth),
            _ => Wrap(blocks[random.Next(blocks.Length)], depth),
        };
        string Wrap(string tag, int depth) => $"<{tag}>{string.Concat(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Node(depth + 1)))}</{tag.Split(' ')[0]}>";
        for (var i = 0; i < 10_000; i++)
            yield return string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Node(0)));
    }

    void AssertSameText(IEnumerable<string> documents, string source, int atLeast)
    {
        var fast = 0;
        foreach (var html in documents)
        {
            // Text without a tag or an entity is kept line by line, and never reaches either reading.
            if (!html.Contains('<') && !html.Contains('&') || PlainText.FromSimpleHtml(html) is null) continue;
            fast++;
            var tree = PlainText.FromHtmlTree(html);
            Assert.True(tree == PlainText.FromHtml(html), $"{source}: one pass and tree differ on {JsonSerializer.Serialize(html)}\ntree: {JsonSerializer.Serialize(tree)}\npass: {JsonSerializer.Serialize(PlainText.FromHtml(html))}");
        }
        output.WriteLine($"{source}: {fast} documents read in one pass, each the same text as the tree's");
        Assert.True(fast >= atLeast, $"only {fast} {source} documents took the one pass");
    }

    [Fact]
    public void Every_character_dotnet_calls_whitespace_and_only_those_collapse_to_one_space()
    {
        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            if (c is '<' or '&' or '\0') continue;
            var expected = char.IsWhiteSpace(c) ? "a b" : $"a{c}{c}b";
            Assert.True(expected == PlainText.FromSimpleHtml($"a{c}{c}b"), $"U+{(int)c:X4}");
        }
    }

    [Fact]
    public void Every_piece_of_html_in_the_public_corpus_reads_the_same_in_one_pass_as_through_the_tree() =>
        AssertSameText(CorpusHtml(), "corpus", atLeast: 700);

    [Fact]
    public void Thirty_thousand_random_documents_read_the_same_in_one_pass_as_through_the_tree()
    {
        AssertSameText(RandomHtml(), "random", atLeast: 1500);
        AssertSameText(RandomNestedHtml(), "random nested", atLeast: 3500);
    }

    [Theory]
    [InlineData("<p>a</p><!-- note --><p>b</p>")]
    [InlineData("<p>a</p><script>b</script>")]
    [InlineData("<table><tr><td>a</td></tr></table>")]
    [InlineData("<p>AT&copy 2026</p>")]
    [InlineData("<p>&#128;</p>")]
    [InlineData("<custom-el>a</custom-el>")]
    [InlineData("<b><p>misnested</b></p>")]
    [InlineData("<p>a</p></h2>")]
    public void Html_a_tree_may_read_differently_goes_to_the_tree(string html) => Assert.Null(PlainText.FromSimpleHtml(html));
}
