using Syndication.Articles;
using Syndication.Rules;
using Syndication.Summaries;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

public sealed class MessageTests
{
    static Article Article(string title, string text, string? link = "https://news.example/a") =>
        new("f", "k", title, link, new DateTimeOffset(2026, 11, 28, 6, 5, 0, TimeSpan.Zero), null, [], "", text, DateTimeOffset.UnixEpoch, []);

    [Fact]
    public void Summary_keeps_whole_sentences_within_600_characters()
    {
        var text = string.Join('\n', Fixture.Paragraphs);

        var summary = Summarizer.Summarize(text);

        Assert.InRange(summary.Length, 200, 600);
        Assert.StartsWith("Despite mounting pressure from the United States", summary);
        Assert.EndsWith(".", summary);
        Assert.True(text.Replace('\n', ' ').StartsWith(summary, StringComparison.Ordinal), "the summary is the article's first sentences, unchanged");
    }

    [Fact]
    public void A_long_first_sentence_is_cut_at_a_word_with_an_ellipsis()
    {
        var text = string.Join(' ', Enumerable.Repeat("unbroken", 120)) + ".";

        var summary = Summarizer.Summarize(text, 100);

        Assert.True(summary.Length <= 100);
        Assert.EndsWith("unbroken…", summary);
    }

    [Theory]
    [InlineData("The U.S. envoy met Gen. Kayani. Talks went on.", "The U.S. envoy met Gen. Kayani.")]
    [InlineData("He said “no.” Then he left.", "He said “no.”")]
    public void Sentences_split_at_real_ends(string text, string first) =>
        Assert.Equal(first, Summarizer.Summarize(text, first.Length + 3));

    [Fact]
    public void Matched_terms_are_bold_and_everything_else_escaped()
    {
        var terms = new[] { "Kayani", "Haqqani network" }.Select(t => TermSyntax.TryParse(t, false, out _)!);
        var html = MessageFormatter.Highlight("Kayani & the <Haqqani\nnetwork> met KAYANI", terms);

        Assert.Equal("<b>Kayani</b> &amp; the &lt;<b>Haqqani\nnetwork</b>&gt; met <b>KAYANI</b>", html);
    }

    [Fact]
    public void Messages_are_valid_telegram_html_with_title_source_date_summary_link_and_hashtags()
    {
        var article = Article("A <b>bold</b> claim & more", "First sentence about Kayani. Second one.");
        var html = MessageFormatter.Format(article, "Dawn & Co", [new ArticleMatch("pakistan-security", ["Kayani"], ["desk"])]);

        Assert.Null(TelegramHtml.Validate(html));
        Assert.Equal(
            "<b>A &lt;b&gt;bold&lt;/b&gt; claim &amp; more</b>\nDawn &amp; Co · 28 Nov 2026, 06:05 UTC\n\n" +
            "First sentence about <b>Kayani</b>. Second one.\n\n<a href=\"https://news.example/a\">Read more</a>\n\n#pakistan_security",
            html);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData(null)]
    public void Only_http_links_become_anchors(string? link)
    {
        var html = MessageFormatter.Format(Article("T", "Text.", link), "S", []);

        Assert.DoesNotContain("<a ", html);
        Assert.Null(TelegramHtml.Validate(html));
    }

    [Theory]
    [InlineData("<p>One</p><p>Two <b>bold</b></p>", "One\nTwo bold")]
    [InlineData("Line<br>break", "Line\nbreak")]
    [InlineData("<script>x()</script><style>p{}</style>Kept", "Kept")]
    [InlineData("Tom &amp; Jerry&nbsp;&#8230;", "Tom & Jerry …")]
    [InlineData("plain   text\n\n\nnext", "plain text\nnext")]
    [InlineData("<ul><li>a</li><li>b</li></ul>", "a\nb")]
    public void Html_becomes_readable_plain_text(string html, string text) =>
        Assert.Equal(text, PlainText.FromHtml(html));
}
