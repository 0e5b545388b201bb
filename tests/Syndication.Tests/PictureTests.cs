using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// An article's picture in the alert, through the strict fake Bot API: a large preview above the text by default, a photo
/// captioned with the message when the channel asks, nothing when it says off; a picture Telegram refuses falls back to
/// text at once; an edit of a photo changes its caption.
/// </summary>
public sealed class PictureTests : IAsyncLifetime
{
    const string Picture = "https://news.example/uploads/kayani.jpg";
    static readonly DateTimeOffset Published = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    static Item Story(string title = "Kayani balks at US demands", string words = "General Kayani met the delegation.") =>
        new(title, "https://news.example/1", Description: $"<p><img src=\"{Picture}\" alt=\"\">{words}</p>", Published: Published);

    string Config(string images, string onUpdate = "ignore", Item? story = null)
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", story ?? Story()));
        return app.WriteConfig(new
        {
            feeds = new[] { new { id = "pt", url, backfill = 5, fullText = "never" } },
            channels = new[] { new { id = "desk", chat = "@security_desk", images, onUpdate } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
    }

    [Fact]
    public async Task By_default_the_picture_is_a_large_preview_above_the_text()
    {
        await app.SweepAsync(Config("preview"));

        var message = Assert.Single(app.Bot.Messages);
        var preview = message.Body["link_preview_options"]!.AsObject();
        Assert.Equal(Picture, preview["url"]!.GetValue<string>());
        Assert.True(preview["prefer_large_media"]!.GetValue<bool>());
        Assert.True(preview["show_above_text"]!.GetValue<bool>());
        Assert.Null(message.Body["photo"]);
    }

    [Fact]
    public async Task As_a_photo_the_message_is_its_caption_within_1024_characters_and_keeps_its_link()
    {
        // Three sentences of 400 characters: more than a caption holds.
        var long_ = string.Join(' ', Enumerable.Range(1, 3).Select(i =>
            $"General Kayani spoke to commanders for the {i}th time, " + string.Join(", ", Enumerable.Repeat("and officials in Islamabad and Rawalpindi said the talks on the border would continue", 4)) + "."));
        await app.SweepAsync(Config("photo", story: Story(words: long_)));

        var message = Assert.Single(app.Bot.Messages);
        Assert.Equal(Picture, message.Body["photo"]!.GetValue<string>());
        var caption = TelegramHtml.ToPlain(message.Text);
        Assert.InRange(caption.Length, 600, 1024);
        Assert.Contains("<a href=\"https://news.example/1\">Read more</a>", message.Text);
        Assert.StartsWith("Kayani balks at US demands\n", caption);
    }

    [Fact]
    public async Task A_picture_telegram_refuses_goes_as_text_at_once_and_nothing_is_lost()
    {
        app.Bot.RefusePicture(Picture);

        var report = await app.SweepAsync(Config("photo"));

        var message = Assert.Single(app.Bot.Messages);
        Assert.Null(message.Body["photo"]);
        Assert.StartsWith("<b>Kayani balks at US demands</b>", message.Text);
        Assert.Equal(1, report.Count(DeliveryStatus.Sent));
        Assert.Equal(0, report.Count(DeliveryStatus.DeadLettered) + report.Count(DeliveryStatus.Retrying));
        Assert.Contains(app.Logs.Lines, l => l.Contains("Telegram could not use the picture") && l.Contains("wrong file identifier/HTTP URL specified"));
    }

    [Fact]
    public async Task Off_shows_no_picture()
    {
        await app.SweepAsync(Config("off"));

        var message = Assert.Single(app.Bot.Messages);
        Assert.Null(message.Body["photo"]);
        Assert.Null(message.Body["link_preview_options"]?["url"]);
    }

    [Fact]
    public async Task An_edited_story_sent_as_a_photo_has_its_caption_edited()
    {
        var config = Config("photo", onUpdate: "edit");
        await app.SweepAsync(config);
        var sent = Assert.Single(app.Bot.Messages);

        Config("photo", onUpdate: "edit", story: Story(title: "Kayani balks at US demands, says NYT"));
        await app.SweepAsync(config);

        var edit = Assert.Single(app.Bot.Edits);
        Assert.Equal(sent.MessageId, edit.MessageId);
        Assert.Equal(Picture, edit.Body["photo"]!.GetValue<string>());
        Assert.StartsWith("Kayani balks at US demands, says NYT", TelegramHtml.ToPlain(edit.Text));
    }

    [Theory]
    [InlineData("<head><meta property=\"og:image\" content=\"https://cdn.example/k.jpg\"></head>", "https://cdn.example/k.jpg")]
    [InlineData("<meta content='/uploads/k.jpg' property='og:image' />", "https://news.example/uploads/k.jpg")]
    [InlineData("<meta name=\"twitter:image\" content=\"https://cdn.example/t.jpg\">", "https://cdn.example/t.jpg")]
    [InlineData("<meta property=\"og:image\" content=\"https://cdn.example/a.jpg?w=1200&amp;h=630\">", "https://cdn.example/a.jpg?w=1200&h=630")]
    [InlineData("<meta property=\"og:title\" content=\"Kayani\"><meta property=\"og:image\" content=\"javascript:alert(1)\">", null)]
    [InlineData("<p>no picture</p>", null)]
    public void A_page_names_its_picture_for_link_previews(string html, string? expected) =>
        Assert.Equal(expected, Syndication.Articles.FullTextExtractor.PageImage(new Uri("https://news.example/2026/11/28/story/"), html));

    [Theory]
    [InlineData("http://127.0.0.1/kayani.jpg", false, null)]
    [InlineData("http://10.1.2.3/kayani.jpg", false, null)]
    [InlineData("http://[::1]/kayani.jpg", false, null)]
    [InlineData("http://169.254.169.254/latest/meta-data", false, null)]
    [InlineData("https://93.184.215.14/kayani.jpg", false, "https://93.184.215.14/kayani.jpg")]
    [InlineData("http://127.0.0.1/kayani.jpg", true, "http://127.0.0.1/kayani.jpg")]
    [InlineData("ftp://93.184.215.14/kayani.jpg", true, null)]
    [InlineData("data:image/png;base64,AAAA", true, null)]
    public async Task A_picture_passes_the_same_private_network_guard_as_feeds(string url, bool allowPrivate, string? expected) =>
        Assert.Equal(expected, await PrivateNetworks.PublicOrNullAsync(url, allowPrivate, CancellationToken.None));
}
