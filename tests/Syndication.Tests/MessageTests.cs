using Syndication.Articles;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Summaries;
using Syndication.Syntax;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

public sealed class MessageTests
{
    static Article Article(string title, string text, string? link = "https://news.example/a") =>
        new("f", "k", title, link, new DateTimeOffset(2026, 11, 28, 6, 5, 0, TimeSpan.Zero), null, [], "", text, DateTimeOffset.UnixEpoch, []);

    static IReadOnlyList<ParsedTerm> Terms(params string[] terms) => terms.Select(t => TermSyntax.TryParse(t, false, out _)!).ToList();

    static string FixtureText => string.Join('\n', Fixture.Paragraphs);

    [Fact]
    public void The_summary_for_a_Haqqani_rule_carries_the_Haqqani_network_sentence_in_article_order()
    {
        var summary = Summarizer.Summarize(FixtureText, "", Terms("Haqqani"));
        var sentences = SentenceSplitter.Split(FixtureText).ToList();

        Assert.Contains("attack against the Haqqani network in North Waziristan", summary);
        Assert.StartsWith("Despite mounting pressure from the United States", summary); // the lead stays
        var picked = sentences.Where(summary.Contains).ToList();
        Assert.Equal(3, picked.Count);
        Assert.Equal(picked.OrderBy(sentences.IndexOf), picked.OrderBy(summary.IndexOf)); // original order
        Assert.True(summary.Length <= Summarizer.DefaultMaxLength);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_number_of_sentences_is_the_channels_choice(int count)
    {
        var summary = Summarizer.Summarize(FixtureText, "", Terms("Kayani"), sentences: count);

        Assert.Equal(count, SentenceSplitter.Split(FixtureText).Count(summary.Contains));
    }

    [Fact]
    public void A_teaser_falls_back_to_the_feeds_description()
    {
        var summary = Summarizer.Summarize("Read more.", "General Kayani met the envoy on Friday. They discussed the border.", Terms("Kayani"));

        Assert.Equal("General Kayani met the envoy on Friday. They discussed the border.", summary);
    }

    [Fact]
    public void A_long_first_sentence_is_cut_at_a_word_with_an_ellipsis()
    {
        var text = string.Join(' ', Enumerable.Repeat("unbroken", 120)) + ".";

        var summary = Summarizer.Summarize(text, "", [], maxLength: 100);

        Assert.True(summary.Length <= 100);
        Assert.EndsWith("unbroken…", summary);
    }

    [Theory]
    [InlineData("The U.S. envoy met Gen. Kayani. Talks went on.", "The U.S. envoy met Gen. Kayani.|Talks went on.")]
    [InlineData("Mr. Khan arrived at 10 a.m. on Friday. He left.", "Mr. Khan arrived at 10 a.m. on Friday.|He left.")]
    [InlineData("Inflation rose to 3.5 per cent. No. 10 said so.", "Inflation rose to 3.5 per cent.|No. 10 said so.")]
    [InlineData("He said “no.” Then he left.", "He said “no.”|Then he left.")]
    [InlineData("\"Is it over?\" she asked. It was.", "\"Is it over?\" she asked.|It was.")]
    [InlineData("He paused... Then he spoke. The end…", "He paused...|Then he spoke.|The end…")]
    [InlineData("A. Q. Khan spoke. Others listened.", "A. Q. Khan spoke.|Others listened.")]
    [InlineData("پاکستان فوج کے سربراہ نے کہا۔ مذاکرات جاری ہیں؟ جی ہاں۔", "پاکستان فوج کے سربراہ نے کہا۔|مذاکرات جاری ہیں؟|جی ہاں۔")]
    [InlineData("First line without a stop\nSecond line.", "First line without a stop|Second line.")]
    [InlineData("e.g. this stays whole. Yes.", "e.g. this stays whole.|Yes.")]
    public void Sentences_split_at_real_ends_only(string text, string expected) =>
        Assert.Equal(expected.Split('|'), SentenceSplitter.Split(text));

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

    [Fact]
    public void An_urdu_channel_gets_the_messages_own_words_in_urdu_and_the_story_as_its_feed_wrote_it()
    {
        var article = Article("Kayani speaks", "First sentence about Kayani. Second one.");
        var urdu = new Syndication.Config.ChannelDefinition("urdu-desk", "@urdu_desk") { Language = "ur" };

        var html = MessageFormatter.Format(article, "Dawn", [new ArticleMatch("kayani", ["Kayani"], ["urdu-desk"])], urdu);
        var digest = MessageFormatter.Digest(["• one", "• two"], TestClock.Start, null, "ur").Single().Html;

        Assert.Null(TelegramHtml.Validate(html));
        Assert.Contains("<a href=\"https://news.example/a\">مزید پڑھیں</a>", html);
        Assert.StartsWith("<b>Kayani speaks</b>", html);
        Assert.StartsWith("<b>خلاصہ</b> · ", digest);
        Assert.Contains(" · 2 خبریں", digest);
        Assert.Equal("دیگر ذرائع: \u2068Geo\u2069", MessageFormatter.AlsoLine([new Outlet("geo.example", "Geo", null)], "ur")); // a Latin name in an Urdu line keeps its own direction
        Assert.Equal("Also: Geo", MessageFormatter.AlsoLine([new Outlet("geo.example", "Geo", null)]));
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
