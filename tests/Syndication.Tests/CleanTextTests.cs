using System.Text;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Summaries;
using Syndication.Syntax;
using Syndication.Telegram;

namespace Syndication.Tests;

/// <summary>
/// What subscribers read is the story and nothing else: teaser tails and calls to action left out of summaries, titles as
/// plain text, bold that never splits a word or number, links without tracking, and the byline. Pure: no I/O.
/// </summary>
public sealed class CleanTextTests
{
    [Theory]
    [InlineData("Kayani met the delegation. Read more »", "Kayani met the delegation.")]
    [InlineData("Kayani met the delegation… Continue reading →", "Kayani met the delegation…")]
    [InlineData("Kayani met the delegation. Continue reading “Kayani balks at US demands” →", "Kayani met the delegation.")]
    [InlineData("Kayani met the delegation and said the talks would [...]", "Kayani met the delegation and said the talks would…")]
    [InlineData("Kayani met the delegation.\nThe post Kayani balks at US demands appeared first on Pakistan Today.", "Kayani met the delegation.")]
    [InlineData("Kayani met the delegation. Read the full story at Dawn >>", "Kayani met the delegation.")]
    [InlineData("Read more", "")]
    [InlineData("Click here to watch live »\nKayani met the delegation.", "Kayani met the delegation.")]
    [InlineData("Kayani met the delegation.\nFollow us on Twitter for the latest updates.", "Kayani met the delegation.")]
    [InlineData("کیانی نے امریکی مطالبات ماننے سے انکار کر دیا۔ مزید پڑھیں", "کیانی نے امریکی مطالبات ماننے سے انکار کر دیا۔")]
    [InlineData("یہاں کلک کریں\nکیانی نے انکار کر دیا۔", "کیانی نے انکار کر دیا۔")]
    // News that only looks like a tail or a call to action stays.
    [InlineData("Students in Punjab will read more", "Students in Punjab will read more")]
    [InlineData("Follow-up talks are due on Friday.", "Follow-up talks are due on Friday.")]
    [InlineData("Click here to read the 200-page report the commission released on Friday, which details the army's role in the war and the failures of the government before it.",
        "Click here to read the 200-page report the commission released on Friday, which details the army's role in the war and the failures of the government before it.")]
    public void Teaser_tails_and_calls_to_action_are_not_the_story(string text, string expected) =>
        Assert.Equal(expected, Boilerplate.Strip(text));

    [Fact]
    public void A_summary_never_leads_with_a_call_to_action_or_ends_in_read_more()
    {
        var terms = new[] { TermSyntax.TryParse("Kayani", false, out _)! };
        var text = "Click here to watch live »\nGeneral Kayani rejected the demands on Friday. Officials in Islamabad confirmed the meeting took place. Read more »";

        var summary = Summarizer.Summarize(text, "", terms, sentences: 3);

        Assert.Equal("General Kayani rejected the demands on Friday. Officials in Islamabad confirmed the meeting took place.", summary);
    }

    [Theory]
    [InlineData("/Rs \\d/", "Petrol at Rs 281.40 a litre", "Petrol at <b>Rs 281.40</b> a litre")]
    [InlineData("/\\d{3}/", "Petrol at Rs 281,400 a tanker", "Petrol at Rs <b>281,400</b> a tanker")]
    [InlineData("/Kay/", "General Kayani spoke", "General <b>Kayani</b> spoke")]
    [InlineData("Kayani", "General Kayani's talks", "General <b>Kayani</b>'s talks")]
    public void Bold_never_splits_a_word_or_a_number(string term, string text, string expected) =>
        Assert.Equal(expected, MessageFormatter.Highlight(text, [TermSyntax.TryParse(term, false, out _)!]));

    [Theory]
    [InlineData("https://e.example/story?utm_source=rss&id=5&fbclid=abc#comments", "https://e.example/story?id=5")]
    [InlineData("https://e.example/story/?utm_medium=feed&utm_campaign=x", "https://e.example/story/")]
    [InlineData("https://e.example:8443/story?GCLID=1&p=2", "https://e.example:8443/story?p=2")]
    [InlineData("https://e.example:443/story#respond", "https://e.example/story")]
    [InlineData("https://e.example/search?q=utm_source", "https://e.example/search?q=utm_source")]
    [InlineData("javascript:alert(1)", null)]
    public void Links_are_shown_without_tracking_or_fragments(string link, string? expected) =>
        Assert.Equal(expected, Links.ShownLink(link));

    [Theory]
    [InlineData("&amp;lt;b&amp;gt;LIVE&amp;lt;/b&amp;gt; | Budget 2026 unveiled", "LIVE | Budget 2026 unveiled")]
    [InlineData("&lt;b&gt;LIVE&lt;/b&gt; | Budget 2026 unveiled", "LIVE | Budget 2026 unveiled")]
    [InlineData("AT&amp;amp;T &lt; Verizon, says regulator", "AT&T < Verizon, says regulator")]
    [InlineData("Why &amp;lt;blink&amp;gt; died", "Why <blink> died")]
    public void Titles_are_plain_text(string escaped, string expected)
    {
        var xml = $"<rss version=\"2.0\"><channel><title>t</title><item><title>{escaped}</title><link>https://e.example/1</link></item></channel></rss>";

        var entry = Assert.Single(FeedParser.Parse(new FetchedFeed(new Uri("https://e.example/feed"), Encoding.UTF8.GetBytes(xml), "application/rss+xml", null)).Entries);

        Assert.Equal(expected, entry.Title);
    }

    [Fact]
    public void The_byline_is_shown_unless_the_channel_hides_it_or_it_only_repeats_the_source()
    {
        var entry = new FeedEntry("k", "Kayani balks at US demands", "https://e.example/1", new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero), "Ayesha Khan", [], "", "General Kayani spoke.");
        var article = Article.From("pt", entry, entry.Published!.Value, []);
        var channel = new ChannelDefinition("desk", "@desk");

        string SecondLine(Article a, ChannelDefinition c) => MessageFormatter.Format(a, "Pakistan Today", [], c).Split('\n')[1];

        Assert.Equal("Pakistan Today · Ayesha Khan · 28 Nov 2026, 06:00 UTC", SecondLine(article, channel));
        Assert.Equal("Pakistan Today · 28 Nov 2026, 06:00 UTC", SecondLine(article, channel with { ShowAuthor = false }));
        Assert.Equal("Pakistan Today · 28 Nov 2026, 06:00 UTC", SecondLine(article with { Author = "pakistan today" }, channel));
        Assert.Equal("Ayesha Khan", MessageTemplate.Render("{{ author }}", new MessageParts("t", "s", "p", null, [], []) { Author = "Ayesha Khan" }));
    }
}
