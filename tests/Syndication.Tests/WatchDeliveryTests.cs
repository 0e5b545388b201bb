using Microsoft.Extensions.DependencyInjection;
using Syndication.Config;
using Syndication.Tests.Infrastructure;
using Syndication.Watches;

namespace Syndication.Tests;

/// <summary>
/// Personal alerts through the same sweep as channels', against real Azurite and the fake Bot API: each person gets an
/// article once however many of their watches match, a muted person none, a story already sent to them not again, and
/// with subscriptions off nobody's watches are even read. People are put in the store directly here.
/// </summary>
[Trait(SecondPass.Name, SecondPass.YearAhead)]
public sealed class WatchDeliveryTests : IAsyncLifetime
{
    static readonly DateTimeOffset Published = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync()
    {
        // Feeds one at a time, so that a story's first report is queued before another feed's report of it is read: which
        // feed claims first when both are read at once is tested in SameStoryTests.
        app = await TestApp.StartAsync(s => s["Syndication:MaxConcurrentFeeds"] = "1");
        await app.Containers.EnsureCreatedAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    string Config(string subscriptions, params (string Feed, Item[] Items)[] feeds)
    {
        var urls = feeds.Select(f => (f.Feed, Url: app.Feeds.Serve($"{f.Feed}/", Rss.WordPress(f.Feed, f.Items)))).ToList();
        return app.WriteConfig(new
        {
            subscriptions,
            feeds = urls.Select(u => new { id = u.Feed, url = u.Url, backfill = 5, fullText = "never" }).ToArray(),
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
    }

    async Task SubscribeAsync(long chatId, string[] watches, DateTimeOffset? mutedUntil = null, params string[] feedIds)
    {
        var config = new SyndicationConfig([.. feedIds.Select(f => new FeedDefinition(f, new Uri($"https://{f}.example/"), 0, null))], [], []);
        var person = new Subscriber(chatId, "en", [.. watches.Select(w => Assert.IsType<WatchParse.Read>(WatchText.Parse(w, config)).Watch)], Published) { MutedUntil = mutedUntil };
        Assert.True(await app.Services.GetRequiredService<SubscriberStore>().SaveAsync(person, null, CancellationToken.None));
    }

    static Item Story(string title, string link, int minutesLater = 0) =>
        new(title, link, Description: $"<p>{title}. Officials spoke on Friday.</p>", Published: Published.AddMinutes(minutesLater));

    [Fact]
    public async Task Each_person_gets_an_article_once_however_many_watches_match_and_a_muted_person_none()
    {
        await SubscribeAsync(555, ["Kayani", "\"army chief\"", "IMF"], null, "dawn");
        await SubscribeAsync(556, ["Kayani"], TestClock.Start.AddHours(8), "dawn");
        await SubscribeAsync(557, ["IMF feed:dawn"], null, "dawn");
        var config = Config("open", ("dawn", [
            Story("Kayani, the army chief, speaks to parliament", "https://dawn.example/1"),
            Story("IMF approves loan tranche", "https://dawn.example/2", 1),
            Story("Cricket final tonight", "https://dawn.example/3", 2),
        ]));

        await app.SweepAsync(config);

        string[] To(string chat) => [.. app.Bot.Messages.Where(m => m.ChatId == chat).Select(m => TelegramHtml.ToPlain(m.Text).Split('\n')[0]).Order()];
        Assert.Equal(["IMF approves loan tranche", "Kayani, the army chief, speaks to parliament"], To("555")); // 3 watches hit the first: one message
        Assert.Empty(To("556"));                                                                              // muted
        Assert.Equal(["IMF approves loan tranche"], To("557"));
        Assert.Equal(["Kayani, the army chief, speaks to parliament"], To("@security_desk"));                 // the channel as before
        // One layout for people alike: 555's and 557's IMF alerts are the same message, with no rule hashtag; the desk's keeps its own.
        string Imf(string chat) => app.Bot.Messages.Single(m => m.ChatId == chat && m.Text.Contains("IMF approves", StringComparison.Ordinal)).Text;
        Assert.Equal(Imf("555"), Imf("557"));
        Assert.DoesNotContain("#", TelegramHtml.ToPlain(Imf("555")));
        Assert.EndsWith("#kayani", TelegramHtml.ToPlain(app.Bot.Messages.Single(m => m.ChatId == "@security_desk").Text));

        await app.SweepAsync(config);
        Assert.Equal(4, app.Bot.Messages.Count); // nothing twice
    }

    [Fact]
    public async Task A_story_already_sent_to_a_person_from_one_feed_is_not_sent_again_from_another()
    {
        await SubscribeAsync(555, ["Kayani"], null, "dawn", "tribune");
        var config = Config("open",
            ("dawn", [Story("Kayani tells parliament army will not accept unilateral action", "https://dawn.example/news/1")]),
            ("tribune", [Story("Kayani tells parliament army will not accept unilateral action", "https://tribune.example/story/9", 3)]));

        await app.SweepAsync(config);
        await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages, m => m.ChatId == "555");
        // The desk's alert names the other outlet; a person's own alert is left as it was sent.
        // (as sent, when the outlet came before it went, or by an edit after; the feeds are read side by side, so either)
        Assert.Contains(app.Bot.Messages.Concat(app.Bot.Edits).Where(m => m.ChatId == "@security_desk"), m => TelegramHtml.ToPlain(m.Text).Contains("Also: ", StringComparison.Ordinal));
        Assert.DoesNotContain("Also: ", app.Bot.Messages.Single(m => m.ChatId == "555").Text);
        Assert.DoesNotContain(app.Bot.Edits, e => e.ChatId == "555");
    }

    [Fact]
    public async Task A_person_who_blocked_the_bot_is_unsubscribed_with_all_kept_about_them_and_the_editors_are_not_told_who()
    {
        await SubscribeAsync(555, ["Kayani"], null, "dawn");
        await SubscribeAsync(558, ["Kayani"], null, "dawn");
        app.Bot.RejectChat("555", 403, "Forbidden: bot was blocked by the user");
        var urls = app.Feeds.Serve("dawn/", Rss.WordPress("dawn", Story("Kayani speaks to parliament", "https://dawn.example/1")));
        var config = app.WriteConfig(new
        {
            subscriptions = "open",
            feeds = new[] { new { id = "dawn", url = urls, backfill = 5, fullText = "never" } },
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
            alerts = new { chat = "@editors" },
        });

        await app.SweepAsync(config);

        var store = app.Services.GetRequiredService<SubscriberStore>();
        Assert.Null(await store.GetAsync(555, CancellationToken.None));
        Assert.Equal([558L], (await store.IndexAsync(CancellationToken.None)).Subscribers.Select(s => s.ChatId));
        foreach (var container in app.Containers.All)
            Assert.DoesNotContain(await app.BlobNamesAsync(container), n => n.Contains("555", StringComparison.Ordinal));
        Assert.Single(app.Bot.Messages, m => m.ChatId == "558");
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == "@editors"); // nobody's chat is named to the editors
        Assert.Contains(app.Logs.Lines, l => l.Contains("Unsubscribed the people whose chats Telegram refuses for good (the bot was blocked or the account deleted): 1;", StringComparison.Ordinal));
        var status = await app.Services.GetRequiredService<Syndication.Sweeps.StatusReader>().ReadAsync(await ConfigSource.LoadFileAsync(config, CancellationToken.None), CancellationToken.None);
        Assert.Equal("Subscribers (open): 1 person with 1 watch, 0 muted; 1 unsubscribed because they blocked the bot", status.Subscribers!.Line);
        Assert.DoesNotContain(status.Channels, c => c.ChannelId.Contains("55", StringComparison.Ordinal)); // people are not channels to editors
    }

    [Fact]
    public async Task Editors_see_only_how_many_alerts_to_subscribers_were_given_up_on_not_whose()
    {
        await SubscribeAsync(559, ["Kayani"], null, "dawn");
        app.Bot.RejectChat("559", 400, "Bad Request: message is too long");
        app.Bot.RejectChat("@security_desk", 400, "Bad Request: message is too long");
        var config = Config("open", ("dawn", [Story("Kayani speaks to parliament", "https://dawn.example/1")]));
        await app.SweepAsync(config);

        var editor = new EditorDefinition(111111111, "Ayesha", EditorRole.Editor);
        var reply = (await app.Services.GetRequiredService<Syndication.Editing.EditorCommands>()
            .RunAsync(editor, "/deadletters", await ConfigSource.LoadFileAsync(config, CancellationToken.None), CancellationToken.None))!;

        Assert.Contains("<b>desk</b>: 1", reply.Html);
        Assert.Contains("1 more to subscribers' private chats, not shown.", reply.Html);
        Assert.DoesNotContain("559", reply.Html);
        Assert.DoesNotContain(reply.Buttons!.SelectMany(r => r), b => b.Command.Contains("person", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_subscriptions_off_nobodys_watches_are_read_or_alerted()
    {
        await SubscribeAsync(555, ["Kayani"], null, "dawn");
        var config = Config("off", ("dawn", [Story("Kayani speaks", "https://dawn.example/1")]));

        await app.SweepAsync(config);

        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == "555");
        Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
    }
}
