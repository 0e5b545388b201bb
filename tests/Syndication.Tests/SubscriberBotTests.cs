using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Tests.Infrastructure;
using Syndication.Watches;

namespace Syndication.Tests;

/// <summary>
/// A subscriber's own watches through the webhook, as Telegram delivers their messages, against real Azurite and the
/// fake Bot API: /start in their language, /watch, /watches, /unwatch, /stop, and the alerts a sweep then sends them.
/// </summary>
public sealed class SubscriberBotTests : IAsyncLifetime
{
    const string Secret = "webhook-Secret_0123456789";
    const long Ayesha = 111111111, Reader = 444444444;
    static readonly DateTimeOffset Published = TestClock.Start.AddHours(-1);
    TestApp app = null!;
    int nextUpdate = 9000;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(s => s["Telegram:WebhookSecret"] = Secret);
    public async Task DisposeAsync() => await app.DisposeAsync();

    string Config(string subscriptions, string feedUrl = "http://127.0.0.1:9/feed") => $$"""
        {
          "subscriptions": "{{subscriptions}}",
          "feeds": [ { "id": "dawn", "url": "{{feedUrl}}", "backfill": 5, "fullText": "never" } ],
          "channels": [ { "id": "desk", "chat": "@security_desk" } ],
          "rules": [ { "id": "imf", "channels": ["desk"], "anyOf": ["IMF"] } ],
          "editors": [ { "user": {{Ayesha}}, "name": "Ayesha" } ]
        }
        """;

    async Task PublishAsync(string json)
    {
        await app.Containers.EnsureCreatedAsync(CancellationToken.None);
        await app.Services.GetRequiredService<ConfigPublisher>().PushAsync(json, "file 'syndication.json'", null, force: true, CancellationToken.None);
    }

    /// <summary>Sends a message as <paramref name="user"/> in their private chat, through the webhook, and returns the bot's one reply as plain text.</summary>
    async Task<string> AskAsync(long user, string text, string language = "en")
    {
        var update = TelegramUpdates.Message(user, text);
        update["message"]!["from"]!["language_code"] = language;
        TelegramUpdates.Numbered(update, Interlocked.Increment(ref nextUpdate));
        var bytes = Encoding.UTF8.GetBytes(update.ToJsonString());
        using var body = new MemoryStream(bytes);
        var before = app.Bot.Messages.Count;
        var (status, _) = await app.Services.GetRequiredService<WebhookReceiver>().ReceiveAsync(Secret, bytes.Length, body, CancellationToken.None);
        Assert.Equal(200, status);
        return TelegramHtml.ToPlain(Assert.Single(app.Bot.Messages.Skip(before), m => m.ChatId == user.ToString()).Text);
    }

    SubscriberStore Store => app.Services.GetRequiredService<SubscriberStore>();

    [Fact]
    public async Task Start_explains_in_three_lines_in_english_or_urdu()
    {
        await PublishAsync(Config("open"));

        var english = await AskAsync(Reader, "/start");
        var urdu = await AskAsync(Reader, "/start", language: "ur");

        Assert.Equal(SubscriberCommands.Welcome("en"), english);
        Assert.Equal(3, english.Split('\n').Length);
        Assert.Equal(SubscriberCommands.Welcome("ur"), urdu);
        Assert.StartsWith("واچ #1 شروع: Kayani\nپچھلے 24 گھنٹوں کی 0 نئی خبروں", await AskAsync(Reader, "/watch Kayani", language: "ur"));
        Assert.StartsWith("ہو گیا:", await AskAsync(Reader, "/stop", language: "ur"));
        Assert.Equal(3, urdu.Split('\n').Length);
        Assert.Contains("خبروں", urdu);
        Assert.Contains("/help lists", await AskAsync(Ayesha, "/foo")); // an editor's chat is still the editors'
    }

    [Fact]
    public async Task A_subscriber_watches_lists_removes_and_stops_and_stop_leaves_nothing_stored()
    {
        await PublishAsync(Config("open"));

        Assert.Equal("Watching #1: \"Haqqani network\" -cricket\nNothing in the last 24 hours matched it, among 0 new articles. I will message you when a story does.",
            await AskAsync(Reader, "/watch \"Haqqani network\" -cricket"));
        Assert.StartsWith("Watching #2: IMF feed:dawn\n", await AskAsync(Reader, "/watch IMF feed:dawn"));
        Assert.Equal("There is no feed 'dawm'; did you mean 'dawn'?", await AskAsync(Reader, "/watch IMF feed:dawm"));
        Assert.Equal("You already watch that: #2 IMF feed:dawn", await AskAsync(Reader, "/watch imf feed:dawn"));
        Assert.Equal("1. \"Haqqani network\" -cricket\n2. IMF feed:dawn", await AskAsync(Reader, "/watches"));
        Assert.Equal("Stopped watching #1: \"Haqqani network\" -cricket", await AskAsync(Reader, "/unwatch 1"));
        Assert.StartsWith("Give the number of a watch, from 1 to 1", await AskAsync(Reader, "/unwatch 5"));
        Assert.Equal(["IMF feed:dawn"], (await Store.GetAsync(Reader, CancellationToken.None))!.Value.Subscriber.Watches.Select(w => w.Text));

        Assert.StartsWith("Done: I deleted your chat id, your 1 watch and the record of what I sent you", await AskAsync(Reader, "/stop"));

        Assert.Null(await Store.GetAsync(Reader, CancellationToken.None));
        Assert.Empty((await Store.IndexAsync(CancellationToken.None)).Subscribers);
        Assert.DoesNotContain(await app.BlobNamesAsync(app.Containers.Feeds), n => n.Contains(Reader.ToString(), StringComparison.Ordinal));
        Assert.Equal("I keep nothing about you. /start to begin.", await AskAsync(Reader, "/stop"));
    }

    [Fact]
    public async Task A_muted_subscriber_gets_nothing_until_they_unmute_and_digest_is_kept_on_their_record()
    {
        var first = new Item("Kayani meets the IMF mission", "https://dawn.example/2", Description: "<p>Talks went on.</p>", Published: Published);
        var feed = app.Feeds.Serve("dawn/", Rss.WordPress("Dawn", first));
        var json = Config("open", feed.ToString());
        await PublishAsync(json);
        var config = app.WriteConfig(json);
        Assert.Equal("You have no watches. Start one with /watch and the words to look for.", await AskAsync(Reader, "/mute 8h"));
        await AskAsync(Reader, "/watch Kayani");

        Assert.StartsWith($"Muted until {TestClock.Start.AddHours(8):yyyy-MM-dd HH:mm} UTC", await AskAsync(Reader, "/mute 8h"));
        Assert.Equal("Say how long: /mute 30m, 8h, 2d or 1w (up to 90d), or /mute off.", await AskAsync(Reader, "/mute forever"));
        await app.SweepAsync(config);
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == Reader.ToString() && m.Text.Contains("IMF mission", StringComparison.Ordinal));

        Assert.Equal("Alerts are on again.", await AskAsync(Reader, "/mute off"));
        app.Feeds.Serve("dawn/", Rss.WordPress("Dawn", new Item("Kayani visits Quetta", "https://dawn.example/3", Description: "<p>A visit.</p>", Published: Published.AddMinutes(5)), first));
        await app.SweepAsync(config);
        Assert.Single(app.Bot.Messages, m => m.ChatId == Reader.ToString() && m.Text.Contains("Kayani visits Quetta", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == Reader.ToString() && m.Text.Contains("IMF mission", StringComparison.Ordinal)); // not sent later

        Assert.Equal("Alerts now come as one daily list of headlines, at midnight UTC.", await AskAsync(Reader, "/digest daily"));
        Assert.Equal(WatchDigest.Daily, (await Store.GetAsync(Reader, CancellationToken.None))!.Value.Subscriber.Digest);
        Assert.EndsWith("Alerts come as one daily list.", await AskAsync(Reader, "/watches"));
    }

    [Fact]
    public async Task With_subscriptions_off_a_stranger_gets_the_one_polite_line_and_nothing_is_kept()
    {
        await PublishAsync(Config("off"));

        Assert.Equal(UpdateHandler.Stranger, await AskAsync(Reader, "/watch Kayani"));

        Assert.Null(await Store.GetAsync(Reader, CancellationToken.None));
    }

    [Fact]
    public async Task What_a_subscriber_watches_reaches_them_once_from_the_next_sweep()
    {
        var feed = app.Feeds.Serve("dawn/", Rss.WordPress("Dawn",
            new Item("IMF approves loan tranche", "https://dawn.example/1", Description: "<p>The IMF board met.</p>", Published: Published),
            new Item("Kayani meets the IMF mission", "https://dawn.example/2", Description: "<p>Talks went on.</p>", Published: Published.AddMinutes(1))));
        var json = Config("open", feed.ToString());
        await PublishAsync(json);
        Assert.StartsWith("Watching #1: Kayani\n", await AskAsync(Reader, "/watch Kayani"));
        Assert.StartsWith("Watching #2: IMF -tranche\n", await AskAsync(Reader, "/watch IMF -tranche"));
        var config = app.WriteConfig(json);

        await app.SweepAsync(config);
        await app.SweepAsync(config);

        var mine = app.Bot.Messages.Where(m => m.ChatId == Reader.ToString() && !m.Text.Contains("Watching", StringComparison.Ordinal)).ToList();
        Assert.Equal("Kayani meets the IMF mission", TelegramHtml.ToPlain(Assert.Single(mine).Text).Split('\n')[0]); // two watches, one message
        Assert.Equal(2, app.Bot.Messages.Count(m => m.ChatId == "@security_desk"));

        // /stop leaves no trace of them: not their record, not the index, not the alert sent to them or its story.
        Assert.StartsWith("Done: I deleted your chat id, your 2 watches", await AskAsync(Reader, "/stop"));
        foreach (var container in app.Containers.All)
            Assert.DoesNotContain(await app.BlobNamesAsync(container), n => n.Contains(Reader.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(Reader, (await Store.IndexAsync(CancellationToken.None)).Subscribers.Select(s => s.ChatId));
    }

    [Fact]
    public async Task A_new_watch_shows_what_it_would_have_matched_in_the_last_24_hours()
    {
        var feed = app.Feeds.Serve("dawn/", Rss.WordPress("Dawn",
            new Item("IMF approves loan tranche", "https://dawn.example/1", Description: "<p>The IMF board met.</p>", Published: Published),
            new Item("Kayani meets the IMF mission", "https://dawn.example/2", Description: "<p>Talks went on.</p>", Published: Published.AddMinutes(1)),
            new Item("Rain in Lahore", "https://dawn.example/3", Description: "<p>More to come.</p>", Published: Published.AddMinutes(2))));
        var json = Config("open", feed.ToString());
        await PublishAsync(json);
        await app.SweepAsync(app.WriteConfig(json)); // three new articles, in this hour's headline log

        var broad = await AskAsync(Reader, "/watch IMF");
        var narrow = await AskAsync(Reader, "/watch IMF -tranche");
        var none = await AskAsync(Reader, "/watch Karachi");

        Assert.Equal("Watching #1: IMF\nIn the last 24 hours it would have matched 2 of 3 new articles:\n"
            + $"• Kayani meets the IMF mission (dawn, {Published.AddMinutes(1):HH:mm} UTC)\n• IMF approves loan tranche (dawn, {Published:HH:mm} UTC)", broad);
        Assert.Equal($"Watching #2: IMF -tranche\nIn the last 24 hours it would have matched 1 of 3 new articles:\n• Kayani meets the IMF mission (dawn, {Published.AddMinutes(1):HH:mm} UTC)", narrow);
        Assert.Equal("Watching #3: Karachi\nNothing in the last 24 hours matched it, among 3 new articles. I will message you when a story does.", none);
        var reply = app.Bot.Messages.Last(m => m.ChatId == Reader.ToString() && m.Text.Contains("Watching #2", StringComparison.Ordinal));
        Assert.Contains("<a href=\"https://dawn.example/2\">Kayani meets the IMF mission</a>", reply.Text);

        // A day later those articles are out of the window.
        app.Clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal("Watching #4: Kayani\nNothing in the last 24 hours matched it, among 0 new articles. I will message you when a story does.", await AskAsync(Reader, "/watch Kayani"));
    }

    [Fact]
    public async Task By_invitation_a_stranger_is_refused_until_an_editors_one_time_code_admits_them()
    {
        const long Other = 555555555;
        await PublishAsync(Config("invite"));

        Assert.Equal(SubscriberCommands.ByInvitation("en"), await AskAsync(Reader, "/watch Kayani"));
        Assert.Equal(SubscriberCommands.ByInvitation("ur"), await AskAsync(Reader, "/start", language: "ur"));
        Assert.Equal("That invitation code is not one I know, or it was used already. Ask an editor for a new one.", await AskAsync(Reader, "/start ABCDEFGHJK"));
        Assert.Null(await Store.GetAsync(Reader, CancellationToken.None));

        var invitation = await AskAsync(Ayesha, "/invite");
        var code = System.Text.RegularExpressions.Regex.Match(invitation, "/start ([A-Z0-9]{10})").Groups[1].Value;
        Assert.StartsWith($"One-time invitation: {code}\nGive it to one person.", invitation);
        Assert.EndsWith($"It works once, until {app.Clock.GetUtcNow().AddDays(7).UtcDateTime.ToString("dd MMM HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC.", invitation); // a week from the clock's now
        Assert.DoesNotContain(await app.BlobNamesAsync(app.Containers.Feeds), n => n.Contains(code, StringComparison.Ordinal)); // only its hash is kept

        Assert.Equal(SubscriberCommands.Welcome("en"), await AskAsync(Reader, "/start " + code.ToLowerInvariant()));
        Assert.StartsWith("Watching #1: Kayani\n", await AskAsync(Reader, "/watch Kayani"));
        Assert.Equal("That invitation code is not one I know, or it was used already. Ask an editor for a new one.", await AskAsync(Other, "/start " + code));
        Assert.Equal(SubscriberCommands.ByInvitation("en"), await AskAsync(Other, "/watch Kayani"));
        Assert.StartsWith("Watching #1: IMF", await AskAsync(Ayesha, "/watch IMF")); // editors need no invitation

        // A code not used within a week no longer works.
        var late = await AskAsync(Ayesha, "/invite");
        app.Clock.Advance(InviteCodes.Lifetime + TimeSpan.FromMinutes(1));
        Assert.Equal("That invitation code has expired. Ask an editor for a new one.",
            await AskAsync(Other, "/start " + System.Text.RegularExpressions.Regex.Match(late, "/start ([A-Z0-9]{10})").Groups[1].Value));

        await AskAsync(Ayesha, "/invite");
        Assert.EndsWith("Subscribers (invite): 2 people with 2 watches, 0 muted; 0 unsubscribed because they blocked the bot; 1 invitation(s) not used yet", await AskAsync(Ayesha, "/status"));
    }

    [Fact]
    public async Task A_strangers_flood_of_commands_by_invitation_gets_few_replies_and_leaves_nothing()
    {
        await PublishAsync(Config("invite"));
        var before = app.Bot.Messages.Count;

        for (var i = 0; i < 60; i++)
        {
            var update = TelegramUpdates.Numbered(TelegramUpdates.Message(Reader, i % 2 == 0 ? "/watch Kayani" : "/start WRONGCODE" + i), Interlocked.Increment(ref nextUpdate));
            var bytes = Encoding.UTF8.GetBytes(update.ToJsonString());
            using var body = new MemoryStream(bytes);
            Assert.Equal(200, (await app.Services.GetRequiredService<WebhookReceiver>().ReceiveAsync(Secret, bytes.Length, body, CancellationToken.None)).Status);
        }

        var replies = app.Bot.Messages.Skip(before).Where(m => m.ChatId == Reader.ToString()).ToList();
        Assert.Equal(CommandLimits.PerMinute + 1, replies.Count); // 20 answers, then one "slow down" a minute
        Assert.Null(await Store.GetAsync(Reader, CancellationToken.None));
        Assert.DoesNotContain(await app.BlobNamesAsync(app.Containers.Feeds), n => n.Contains(Reader.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscriber_on_an_hourly_digest_gets_one_list_on_the_hour_and_nothing_before()
    {
        var feed = app.Feeds.Serve("dawn/", Rss.WordPress("Dawn",
            new Item("Kayani meets the IMF mission", "https://dawn.example/2", Description: "<p>Talks went on.</p>", Published: Published),
            new Item("Kayani visits Quetta", "https://dawn.example/3", Description: "<p>A visit.</p>", Published: Published.AddMinutes(1))));
        var json = Config("open", feed.ToString());
        await PublishAsync(json);
        await AskAsync(Reader, "/watch Kayani");
        Assert.Equal("Alerts now come as one hourly list of headlines, on the hour.", await AskAsync(Reader, "/digest hourly"));
        var config = app.WriteConfig(json);
        var replies = app.Bot.Messages.Count(m => m.ChatId == Reader.ToString());

        await app.SweepAsync(config); // 07:05 UTC: the next digest is at 08:00
        Assert.Equal(replies, app.Bot.Messages.Count(m => m.ChatId == Reader.ToString()));
        app.Clock.Advance(TimeSpan.FromMinutes(50));
        await app.SweepAsync(config); // 08:00
        await app.SweepAsync(config); // 08:05: nothing more

        var digest = TelegramHtml.ToPlain(Assert.Single(app.Bot.Messages.Where(m => m.ChatId == Reader.ToString()).Skip(replies)).Text);
        Assert.Contains("Kayani meets the IMF mission", digest);
        Assert.Contains("Kayani visits Quetta", digest);
    }

    [Fact]
    public async Task Through_listen_a_subscriber_watches_gets_the_story_once_and_stop_leaves_nothing()
    {
        var feed = app.Feeds.Serve("dawn/", Rss.WordPress("Dawn",
            new Item("Kayani meets the IMF mission", "https://dawn.example/2", Description: "<p>Talks went on.</p>", Published: Published)));
        var json = Config("open", feed.ToString());
        await PublishAsync(json);
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(() => new Listener(app.Services.GetRequiredService<Syndication.Telegram.EditorBot>(), app.Containers,
            app.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
            app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Listener>>()) { WaitSeconds = 1 }.ListenAsync(null, stop.Token));

        async Task<string> ListenAskAsync(string text)
        {
            var before = app.Bot.Messages.Count(m => m.ChatId == Reader.ToString());
            app.Bot.QueueUpdate(TelegramUpdates.Message(Reader, text));
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (app.Bot.Messages.Count(m => m.ChatId == Reader.ToString()) == before && DateTime.UtcNow < deadline) await Task.Delay(20);
            return TelegramHtml.ToPlain(app.Bot.Messages.Where(m => m.ChatId == Reader.ToString()).Skip(before).First().Text);
        }

        Assert.StartsWith("Watching #1: Kayani -cricket feed:dawn\n", await ListenAskAsync("/watch Kayani -cricket feed:dawn"));
        var config = app.WriteConfig(json);
        await app.SweepAsync(config);
        await app.SweepAsync(config);
        Assert.Single(app.Bot.Messages, m => m.ChatId == Reader.ToString() && m.Text.StartsWith("<b>Kayani meets the IMF mission</b>", StringComparison.Ordinal));
        Assert.StartsWith("Done: I deleted your chat id, your 1 watch", await ListenAskAsync("/stop"));

        stop.Cancel();
        Assert.Equal(2, await listening);
        foreach (var container in app.Containers.All)
            Assert.DoesNotContain(await app.BlobNamesAsync(container), n => n.Contains(Reader.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_headline_log_storage_refuses_is_logged_and_the_sweep_still_stores_and_alerts()
    {
        var feed = app.Feeds.Serve("dawn/", Rss.WordPress("Dawn",
            new Item("IMF approves loan tranche", "https://dawn.example/1", Description: "<p>The IMF board met.</p>", Published: Published)));
        var json = Config("open", feed.ToString());
        await PublishAsync(json);
        // A block blob where this hour's append blob goes: every append to it is refused (409 InvalidBlobType).
        await app.Containers.Feeds.GetBlobClient(Syndication.Articles.HeadlineLog.NameFor(app.Clock.GetUtcNow())).UploadAsync(BinaryData.FromString("not a log"));

        await app.SweepAsync(app.WriteConfig(json));

        Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
        Assert.Single(await app.BlobNamesAsync(app.Containers.Articles));
        Assert.Contains(app.Logs.Lines, l => l.Contains("The hour's headline log (what /watch previews from) could not take 1 new articles", StringComparison.Ordinal));
        Assert.EndsWith("Nothing in the last 24 hours matched it, among 0 new articles. I will message you when a story does.", await AskAsync(Reader, "/watch IMF"));
    }
}
