using BenchmarkDotNet.Attributes;
using Syndication.Articles;
using Syndication.Feeds;

namespace Syndication.Benchmarks;

/// <summary>
/// Full-text extraction of the Pakistan Today article page, as the site serves it (6.7 KB) and padded to the size of a
/// real news page with its scripts, styles, menus, sidebar, comments and footer (scripts/dev/pad-page.js): SmartReader,
/// then plain text and the site-chrome filter, as a sweep does for each teaser.
/// </summary>
[MemoryDiagnoser]
public class ExtractPage
{
    static readonly Uri Link = new("https://www.pakistantoday.com.pk/2011/05/14/kayani-balks-at-us-demands-to-cooperate-nyt/");
    const string Title = "Kayani balks at US demands to cooperate: NYT";

    [Params("pakistan-today-kayani.html", "pakistan-today-kayani-padded.html")]
    public string Page = "";

    string html = "";

    [GlobalSetup]
    public void Setup() => html = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "pages", Page));

    /// <summary>What extraction did before the page's chrome was cut first: SmartReader over the whole page.</summary>
    [Benchmark(Baseline = true)]
    public int WholePage()
    {
        var article = new SmartReader.Reader(Link.AbsoluteUri, html).GetArticle();
        return SiteChrome.Remove(PlainText.FromHtml(article.Content), Title).Length;
    }

    [Benchmark]
    public int Extract() => FullTextExtractor.Extract(Link, html, Title).Text?.Length ?? 0;
}
