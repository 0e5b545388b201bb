using Microsoft.Extensions.DependencyInjection;
using Syndication.Articles;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>Teaser feeds: the article page is fetched from loopback and its main content extracted with SmartReader.</summary>
public sealed class FullTextTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>The fixture as WordPress publishes it: a teaser in the feed, the article on a page full of site chrome.</summary>
    Uri ServeTeaserFeed(string fullText = "auto", string pagePath = "2011/05/14/kayani/", string? pageBody = null, string pageType = "text/html; charset=utf-8")
    {
        var page = app.Feeds.Serve(pagePath, pageBody ?? File.ReadAllText(Repo.TestData("pages/pakistan-today-kayani.html")), pageType);
        var teaser = Fixture.Item(Now) with { Link = page.ToString(), Content = null };
        return app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", teaser));
    }

    string Config(Uri url, string fullText, string term = "Waziristan") => app.WriteConfig(new
    {
        feeds = new[] { new { id = "pt", url, name = "Pakistan Today", backfill = 5, fullText } },
        channels = new[] { new { id = "desk", chat = "@security_desk" } },
        rules = new[] { new { id = "waziristan", channels = new[] { "desk" }, anyOf = new[] { term, "Haqqani network" } } },
    });

    // Before: a page that declared its charset only in <meta> was read as UTF-8, and "Café" and "naïve" came out broken.
    [Theory]
    [InlineData("<meta charset=\"windows-1252\">", 1252, "Café owners in Lahore say naïve pricing and the “Kayani” rumour hurt trade.")]
    [InlineData("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\">", 1256, "کیانی نے امریکی مطالبات مسترد کر دیے، اور کہا کہ فوج اپنے فیصلے خود کرے گی۔")]
    public async Task A_page_that_declares_its_charset_in_meta_is_read_in_it(string meta, int codePage, string sentence)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var paragraphs = string.Concat(Enumerable.Repeat($"<p>{sentence}</p>", 12));
        var html = $"<!DOCTYPE html><html><head>{meta}<title>Kayani</title></head><body><article><h1>Kayani</h1>{paragraphs}</article></body></html>";
        var page = app.Feeds.ServeBytes("meta-page/", System.Text.Encoding.GetEncoding(codePage).GetBytes(html), "text/html"); // no charset in the header

        var (entry, _) = await app.Services.GetRequiredService<FullTextExtractor>().ReadPageAsync(page, CancellationToken.None);

        // windows-1256 writes Urdu's ی as Arabic ي: what the page holds is the sentence as its charset can write it.
        var written = System.Text.Encoding.GetEncoding(codePage).GetString(System.Text.Encoding.GetEncoding(codePage).GetBytes(sentence));
        Assert.Contains(written, entry.Text);
        Assert.DoesNotContain('\uFFFD', entry.Text);
    }

    [Fact]
    public async Task A_teaser_is_completed_from_the_page_without_site_chrome_and_rules_match_the_body()
    {
        var config = Config(ServeTeaserFeed(), "auto");

        await app.SweepAsync(config);

        // "Waziristan" is only in the article body, not in the teaser: the alert proves rules saw the full text.
        var message = Assert.Single(app.Bot.Messages);
        var stored = await app.Services.GetRequiredService<ArticleStore>().GetAsync(Article.BlobNameFor("pt", "https://www.pakistantoday.com.pk/?p=112233"), default);
        Assert.NotNull(stored);
        Assert.Equal(string.Join('\n', Fixture.Paragraphs), stored.Text);
        foreach (var chrome in new[] { "Exit mobile version", "Share this", "Twitter", "Related", "ISI chief offers to resign", "Great article", "Leave a Reply", "All rights reserved", "National" })
            Assert.DoesNotContain(chrome, stored.Text);
        Assert.Contains("attack against the <b>Haqqani network</b> in North <b>Waziristan</b>", message.Text);
        Assert.Contains(app.Logs.Lines, l => l.Contains("full text of") && l.Contains("extracted"));
    }

    [Fact]
    public async Task Never_keeps_the_feeds_own_text_and_fetches_no_page()
    {
        var config = Config(ServeTeaserFeed(), "never");

        await app.SweepAsync(config);

        Assert.Empty(app.Bot.Messages);
        Assert.Single(app.Feeds.UserAgents); // the feed only
    }

    [Theory]
    [InlineData("gone/", null, "text/html", "HTTP 404")]
    [InlineData("pdf/", "%PDF-1.4", "application/pdf", "not an HTML page")]
    [InlineData("empty/", "<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html", "kept the feed's own text")]
    [InlineData("utf7/", "<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html; charset=utf-7", "kept the feed's own text")] // threw NotSupportedException and failed the whole sweep
    public async Task When_extraction_fails_the_feed_text_stays_and_the_log_says_why(string path, string? body, string type, string reason)
    {
        var url = ServeTeaserFeed(pagePath: "page-" + path, pageBody: body ?? "", pageType: type);
        if (body is null) app.Feeds.Serve("page-" + path, "", status: 404);
        var config = Config(url, "always", term: "Kayani");

        var report = await app.SweepAsync(config);

        Assert.True(report.Feeds.Single().Succeeded);
        var message = Assert.Single(app.Bot.Messages); // the teaser still matches "Kayani"
        Assert.Contains("<b>Kayani</b>", message.Text);
        Assert.Contains(app.Logs.Lines, l => l.Contains("kept the feed's own text") && l.Contains(reason));
    }

    [Fact]
    public async Task A_page_of_hostile_nesting_is_not_extracted_and_costs_no_time()
    {
        // 500 KB of nested <div>s: SmartReader took 52 s on it.
        var page = "<html><body><article><p>General Kayani.</p>" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "text" + string.Concat(Enumerable.Repeat("</div>", 100_000)) + "</article></body></html>";
        var config = Config(ServeTeaserFeed(pagePath: "page-nested/", pageBody: page), "always", term: "Kayani");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var report = await app.SweepAsync(config);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the sweep took {clock.Elapsed}");
        Assert.True(report.Feeds.Single().Succeeded);
        Assert.Single(app.Bot.Messages);
        Assert.Contains(app.Logs.Lines, l => l.Contains("kept the feed's own text") && l.Contains("nests its markup 1000") && l.Contains("levels deep, more than 512"));
    }
}
