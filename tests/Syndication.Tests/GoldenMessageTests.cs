using Syndication.Articles;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Real-world items rendered end to end (rules, summary, formatting) and compared with reviewed output in
/// <c>testdata/golden</c>. Set SYNDICATION_UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, then review the diff.
/// </summary>
public sealed class GoldenMessageTests
{
    static readonly DateTimeOffset Published = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

    static FeedEntry Entry(string title, string text, string summary = "", string? link = "https://www.pakistantoday.com.pk/2026/11/28/story/") =>
        new("k", title, link, Published, null, [], summary, text);

    static string LongArticle()
    {
        var random = new Random(42);
        string[] words = ["the", "army", "said", "talks", "border", "officials", "on", "Friday", "would", "continue", "in", "Islamabad", "and", "Kabul", "after", "weeks", "of", "tension"];
        var sentences = new List<string>();
        var count = 0;
        while (count < 10_000)
        {
            var length = random.Next(12, 30);
            var sentence = string.Join(' ', Enumerable.Range(0, length).Select(_ => words[random.Next(words.Length)]));
            sentences.Add(char.ToUpperInvariant(sentence[0]) + sentence[1..] + ".");
            count += length;
        }
        sentences[40] = "General Kayani told commanders the Haqqani network must be confronted.";
        return string.Join('\n', sentences.Chunk(5).Select(p => string.Join(' ', p)));
    }

    public static TheoryData<string> Cases() => ["fixture", "escaping", "urdu", "long-article", "huge-title", "headline-only", "template", "time-zone", "teaser-cleanup", "photo-caption", "photo-caption-urdu", "urdu-in-english-channel", "english-in-urdu-channel"];

    /// <summary>The outlet's name each case is sent under: an Urdu paper's for the Urdu story in an English channel.</summary>
    static string SourceOf(string name) => name == "urdu-in-english-channel" ? "روزنامہ جنگ" : "Pakistan Today";

    static (FeedEntry Entry, RuleDefinition Rule, ChannelDefinition Channel) Case(string name)
    {
        var rule = new RuleDefinition("kayani", ["desk"], null, ["Kayani", "Haqqani network"], [], []);
        var channel = new ChannelDefinition("desk", "@security_desk");
        return name switch
        {
            "fixture" => (Entry(Fixture.Title, string.Join('\n', Fixture.Paragraphs)), rule, channel),
            "escaping" => (Entry("Kayani: \"profits\" < costs & 'losses' > gains <script>", "Kayani said 2 < 3 & 5 > 4. The \"deal\" is <b>off</b>."), rule, channel),
            "urdu" => (Entry("آرمی چیف جنرل کیانی کا امریکی مطالبات ماننے سے انکار",
                "پاکستان کے آرمی چیف جنرل اشفاق پرویز کیانی نے امریکی مطالبات ماننے سے انکار کر دیا ہے۔ نیویارک ٹائمز کے مطابق فوج پر دباؤ بڑھ رہا ہے۔ حقانی نیٹ ورک کے خلاف کارروائی کا مطالبہ کیا گیا؟ حکام نے کوئی جواب نہیں دیا۔",
                link: "https://urdu.example/kayani"),
                rule with { AnyOf = ["کیانی", "حقانی نیٹ ورک"] }, channel),
            "long-article" => (Entry("Kayani addresses commanders", LongArticle()), rule, channel),
            "huge-title" => (Entry("Kayani " + string.Join(' ', Enumerable.Repeat("extraordinarily", 600)), "General Kayani spoke."), rule, channel),
            "headline-only" => (Entry("Kayani balks at US demands", "", link: "https://www.pakistantoday.com.pk/?p=1"), rule, channel),
            "template" => (Entry(Fixture.Title, string.Join('\n', Fixture.Paragraphs)), rule, channel with
            {
                SummarySentences = 2,
                Template = "🚨 <b>{{ title }}</b>\n<i>{{ source }}, {{ published }}</i>\n\n{{ summary }}\n\n{% if link != \"\" %}<a href=\"{{ link }}\">Full story</a>{% endif %} {{ hashtags | join: \" \" }}",
            }),
            "time-zone" => (Entry(Fixture.Title, string.Join('\n', Fixture.Paragraphs)), rule, channel with
            {
                SummarySentences = 1,
                TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Karachi"),
            }),
            // A WordPress teaser as feeds send it: a call to action for a lead, a "Read more »" tail, a tracked link, a byline.
            "teaser-cleanup" => (new FeedEntry("k", "Kayani balks at US demands as petrol rises", "https://www.pakistantoday.com.pk/2026/11/28/story/?utm_source=rss&utm_medium=rss&utm_campaign=kayani#comments",
                Published, "News Desk", [], "",
                "Click here to watch live »\nGeneral Kayani rejected American demands on Friday as petrol rose to Rs 281.40 a litre. Officials in Islamabad confirmed the meeting. Read more »\nThe post Kayani balks at US demands appeared first on Pakistan Today."),
                rule with { AnyOf = ["Kayani", "/Rs \\d/"] }, channel),
            // Sent as a photo: the message is the caption, within 1,024 characters, the summary shortened first, never the link.
            "photo-caption" => (Entry(Fixture.Title, string.Join('\n', Fixture.Paragraphs)) with { Image = "https://www.pakistantoday.com.pk/wp-content/uploads/2026/11/kayani.jpg" },
                rule, channel with { Images = Images.Photo, SummarySentences = 5 }),
            "photo-caption-urdu" => (Entry("آرمی چیف جنرل کیانی کا امریکی مطالبات ماننے سے انکار", string.Concat(Enumerable.Repeat(
                "پاکستان کے آرمی چیف جنرل اشفاق پرویز کیانی نے امریکی مطالبات ماننے سے انکار کر دیا ہے اور حکام نے کہا کہ حقانی نیٹ ورک کے خلاف کارروائی کا فیصلہ پاکستان خود کرے گا۔ ", 12)),
                link: "https://urdu.example/kayani") with { Image = "https://urdu.example/kayani.jpg" },
                rule with { AnyOf = ["کیانی", "حقانی نیٹ ورک"] }, channel with { Images = Images.Photo, SummarySentences = 5 }),
            // Opposite directions: an Urdu story from an Urdu paper in an English-labelled channel, an English story in an
            // Urdu-labelled one, in Karachi time. Each line keeps the channel's direction and each name its own.
            "urdu-in-english-channel" => (Entry("آرمی چیف جنرل کیانی کا امریکی مطالبات ماننے سے انکار",
                "پاکستان کے آرمی چیف جنرل اشفاق پرویز کیانی نے امریکی مطالبات ماننے سے انکار کر دیا ہے۔ حکام نے کوئی جواب نہیں دیا۔", link: "https://jang.example/kayani"),
                rule with { AnyOf = ["کیانی"] }, channel),
            "english-in-urdu-channel" => (Entry(Fixture.Title, string.Join('\n', Fixture.Paragraphs)), rule,
                channel with { Language = "ur", SummarySentences = 1, TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Karachi") }),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Messages_match_the_reviewed_golden_output(string name)
    {
        var (entry, rule, channel) = Case(name);
        var config = new SyndicationConfig([new FeedDefinition("pt", new Uri("https://pt.example/feed"), 0, "Pakistan Today")], [channel], [rule]);
        var matches = new RuleMatcher(config).Match("pt", entry);
        Assert.NotEmpty(matches);
        var article = Article.From("pt", entry, Published, matches);

        var message = Assert.Single(MessageFormatter.PerChannel(article, SourceOf(name), config));
        var html = channel.Images == Images.Photo ? message.Caption! : message.Html;

        Assert.Null(TelegramHtml.Validate(html));
        Assert.InRange(TelegramHtml.ToPlain(html).Length, 1, channel.Images == Images.Photo ? MessageFormatter.MaxCaptionLength : MessageFormatter.MaxLength);
        if (channel.Images == Images.Photo)
        {
            Assert.Equal(entry.Image, message.Picture);
            Assert.Contains($"<a href=\"{entry.Link}\">Read more</a>", html); // the link survives the shortening
            Assert.True(TelegramHtml.ToPlain(html).Length > MessageFormatter.MaxCaptionLength - 100, "the caption uses the room it has");
        }
        var golden = Path.Combine(Repo.Root, "tests", "Syndication.Tests", "testdata", "golden", name + ".html");
        if (Environment.GetEnvironmentVariable("SYNDICATION_UPDATE_GOLDEN") == "1") File.WriteAllText(golden, html);
        Assert.Equal(File.ReadAllText(golden), html);
    }

    [Fact]
    public void A_line_keeps_the_channels_direction_and_a_name_written_the_other_way_keeps_its_own()
    {
        string Golden(string name) => File.ReadAllText(Path.Combine(Repo.Root, "tests", "Syndication.Tests", "testdata", "golden", name + ".html"));

        // An Urdu paper's name in an English line is isolated (U+2068 … U+2069); the line still reads left to right.
        Assert.Contains("\n\u2068روزنامہ جنگ\u2069 · 28 Nov 2026, 06:00 UTC\n", Golden("urdu-in-english-channel"), StringComparison.Ordinal);
        // In an Urdu channel the line opens right to left (U+200F), the English source keeps its own direction, and the date
        // is isolated left to right (U+2066 … U+2069), so its day, month and time stay in order.
        Assert.Contains("\n\u200F\u2068Pakistan Today\u2069 · \u206628 Nov 2026, 11:00 UTC+05:00\u2069\n", Golden("english-in-urdu-channel"), StringComparison.Ordinal);
        Assert.Contains(">مزید پڑھیں</a>", Golden("english-in-urdu-channel"), StringComparison.Ordinal);
        Assert.DoesNotContain("\u2068", Golden("fixture"), StringComparison.Ordinal); // an English story in an English channel needs none
        // Names in an "also" line each keep their own direction, in the order of the line's.
        Assert.Equal("Also: \u2068جنگ\u2069 · Dawn", MessageFormatter.AlsoLine([new Outlet("jang.example", "جنگ", null), new Outlet("dawn.example", "Dawn", null)]));
        Assert.Equal("دیگر ذرائع: جنگ · \u2068Dawn\u2069", MessageFormatter.AlsoLine([new Outlet("jang.example", "جنگ", null), new Outlet("dawn.example", "Dawn", null)], "ur"));
    }
}
