using Syndication.Articles;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>What is cut from an article page before Readability reads it, and that the story comes through whole.</summary>
public sealed class PageChromeTests
{
    static readonly Uri Link = new("https://www.pakistantoday.com.pk/2011/05/14/kayani-balks-at-us-demands-to-cooperate-nyt/");
    const string Title = "Kayani balks at US demands to cooperate: NYT";

    [Fact]
    public void The_story_of_a_page_padded_with_a_real_sites_chrome_is_the_story_of_the_plain_page()
    {
        var plain = File.ReadAllText(Repo.TestData("pages/pakistan-today-kayani.html"));
        var padded = File.ReadAllText(Repo.TestData("pages/pakistan-today-kayani-padded.html"));

        var fromPlain = FullTextExtractor.Extract(Link, plain, Title).Text;
        var fromPadded = FullTextExtractor.Extract(Link, padded, Title).Text;

        Assert.NotNull(fromPlain);
        Assert.StartsWith("Despite mounting pressure from the United States", fromPlain);
        Assert.Equal(fromPlain, fromPadded);
        // Most of the padded page is what is cut: scripts, styles, sprites, the menu, the sidebar, comments, the footer.
        Assert.InRange(PageChrome.Remove(padded).Length, 1, padded.Length / 5);
    }

    [Theory]
    [InlineData("<p>a</p><script>if (a < b) document.write('</div><p>x</p>');</script><p>b</p>", "<p>a</p><p>b</p>")]
    [InlineData("<p>a</p><!-- <p>old</p> --><p>b</p>", "<p>a</p><p>b</p>")]
    [InlineData("<p>a</p><STYLE type=\"text/css\">p{}</STYLE><p>b</p>", "<p>a</p><p>b</p>")]
    [InlineData("<p>a</p><nav><ul><li><nav>inner</nav></li></ul><p>menu</p></nav><p>b</p>", "<p>a</p><p>b</p>")]
    [InlineData("<p>a</p><svg viewBox=\"0 0 1 1\"/><p>b</p>", "<p>a</p><p>b</p>")]
    [InlineData("<p>a</p><aside class=\"related\"><h2>Related</h2></aside><footer>©</footer><p>b</p>", "<p>a</p><p>b</p>")]
    public void Chrome_is_cut_whole_wherever_its_end_is(string html, string kept) =>
        Assert.Equal(kept, PageChrome.Remove(html));

    [Theory]
    [InlineData("<p>a</p><navigation-bar>x</navigation-bar><p>b</p>")] // another element whose name starts the same
    [InlineData("<p>a</p><nav><p>the rest of a page whose menu never ends</p>")] // no end: nothing is lost
    [InlineData("<p>a</p><script>never closed")]
    [InlineData("<p>a</p><!-- never closed <p>b</p>")]
    [InlineData("<p>a &lt; b</p><p>plain</p>")]
    public void Markup_that_is_not_chrome_or_never_ends_is_kept_as_it_is(string html) =>
        Assert.Equal(html, PageChrome.Remove(html));
}
