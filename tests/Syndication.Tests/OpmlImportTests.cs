using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// <c>syndication opml import</c> and <c>export</c>, as an operator runs them: the real command against Azurite and feeds
/// on loopback. An import is one change of the live configuration, recorded and undone by <c>/undo</c>; feeds that cannot
/// be read are named and left out.
/// </summary>
public sealed class OpmlImportTests : IAsyncLifetime
{
    const long Bilal = 222222222;
    TestApp app = null!;

    const string Secret = "webhook-Secret_0123456789";

    public async Task InitializeAsync() => app = await TestApp.StartAsync(s => s["Telegram:WebhookSecret"] = Secret);
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task An_import_adds_the_readable_new_feeds_as_one_change_undo_removes_them_and_export_lists_them()
    {
        var dawn = app.Feeds.Serve("dawn/", Rss.WordPress("Dawn", new Item("Kayani speaks", "https://dawn.example/1")));
        var tribune = app.Feeds.Serve("tribune/", Rss.WordPress("The Express Tribune", new Item("Army chief", "https://tribune.example/1")));
        var geo = app.Feeds.Serve("geo/", Rss.WordPress("Geo", new Item("Parliament", "https://geo.example/1")));
        var jang = app.Feeds.Serve("jang/", Rss.WordPress("Jang", new Item("خبر", "https://jang.example/1")));
        await app.Services.GetRequiredService<ConfigPublisher>().PushAsync($$"""
            { "feeds": [ { "id": "dawn", "url": "{{dawn}}" } ], "channels": [ { "id": "desk", "chat": "@desk" } ],
              "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"] } ],
              "editors": [ { "user": {{Bilal}}, "name": "Bilal", "role": "admin" } ] }
            """, "file 'syndication.json'", null, force: true, CancellationToken.None);
        var file = app.WriteConfig($$"""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="1.0"><head><title>Bilal subscriptions in feedly Cloud</title></head><body>
              <outline text="Pakistan" title="Pakistan">
                <outline type="rss" text="Dawn" title="Dawn" xmlUrl="{{dawn}}"/>
                <outline type="rss" text="The Express Tribune" title="The Express Tribune" xmlUrl="{{tribune}}"/>
                <outline type="rss" text="Geo News" title="Geo News" xmlUrl="{{geo}}"/>
                <outline type="rss" text="Jang" title="Jang" xmlUrl="{{jang}}"/>
                <outline type="rss" text="Gone" title="Gone" xmlUrl="http://127.0.0.1:9/feed.xml"/>
              </outline>
            </body></opml>
            """);

        var dry = await CliProcess.RunAsync(app, [], "opml", "import", file, "--dry-run");
        var imported = await CliProcess.RunAsync(app, [], "opml", "import", file);

        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("Dry run, nothing changed: 3 feeds imported (the-express-tribune, geo-news, jang)", dry.Output);
        Assert.Equal(0, imported.ExitCode);
        Assert.Contains($"= {dawn}  already watched as 'dawn' (line 4 ('Dawn'))", imported.Output);
        Assert.Contains("! line 8 ('Gone'): not added: could not be read:", imported.Output);
        Assert.Contains("Imported: 3 feeds imported (the-express-tribune, geo-news, jang); what they carry now is stored without alerts (backfill 0); 1 feed already watched: dawn; 1 outline not imported", imported.Output);
        var live = (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config;
        Assert.Equal(["dawn", "the-express-tribune", "geo-news", "jang"], live.Feeds.Select(f => f.Id));
        Assert.All(live.Feeds.Skip(1), f => Assert.Equal((0, "pakistan"), (f.Backfill, Assert.Single(f.Tags!))));
        var history = await app.Services.GetRequiredService<ConfigHistory>().ListAsync(5, null, CancellationToken.None);
        Assert.StartsWith("syndication opml import", history[0].Command);

        // A sweep reads each feed's site (its channel link), which the export then writes as htmlUrl.
        await app.SweepAsync(null!);
        var exported = await CliProcess.RunAsync(app, [], "opml", "export");
        Assert.Equal(0, exported.ExitCode);
        Assert.Contains($"xmlUrl=\"{geo}\" htmlUrl=\"https://news.example/\" syndication:id=\"geo-news\"", exported.Output);

        // /undo names the import (made from a file, not by Bilal) and undoes it when confirmed, as for any change someone else made.
        var bilal = new EditorDefinition(Bilal, "Bilal", EditorRole.Admin);
        var commands = app.Services.GetRequiredService<EditorCommands>();
        var asked = await commands.RunAsync(bilal, "/undo", live, CancellationToken.None);
        Assert.Contains("opml import", asked!.Html);
        var undo = await commands.RunAsync(bilal, asked.Buttons![0][0].Command, live, CancellationToken.None);
        Assert.StartsWith("Done: undid", undo!.Html);
        Assert.Equal(["dawn"], (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config.Feeds.Select(f => f.Id));
    }

    [Fact]
    public async Task A_file_that_is_not_opml_changes_nothing_and_says_why()
    {
        await app.Services.GetRequiredService<ConfigPublisher>().PushAsync("""{ "feeds": [], "channels": [], "rules": [] }""", "file 'syndication.json'", null, force: true, CancellationToken.None);
        var file = app.WriteConfig("<rss version=\"2.0\"><channel><title>x</title></channel></rss>");

        var result = await CliProcess.RunAsync(app, [], "opml", "import", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("was not imported: not an OPML file: its root element is <rss>, not <opml>", result.Errors);
        Assert.Empty((await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config.Feeds);
    }

    int nextUpdate = 7000;

    /// <summary>Posts an update to the webhook as Telegram would; returns the bot's one answer to Bilal.</summary>
    async Task<SentMessage> PostAsync(System.Text.Json.Nodes.JsonObject update)
    {
        var before = app.Bot.Messages.Count;
        TelegramUpdates.Numbered(update, Interlocked.Increment(ref nextUpdate));
        var bytes = Encoding.UTF8.GetBytes(update.ToJsonString());
        using var body = new MemoryStream(bytes);
        var (status, _) = await app.Services.GetRequiredService<WebhookReceiver>().ReceiveAsync(Secret, bytes.Length, body, CancellationToken.None);
        Assert.Equal(200, status);
        return Assert.Single(app.Bot.Messages.Skip(before), m => m.ChatId == Bilal.ToString());
    }

    /// <summary>A message from Bilal with an .opml file and <c>/import</c> as its caption, as Telegram sends one.</summary>
    static System.Text.Json.Nodes.JsonObject ImportDocument(string fileId)
    {
        var update = TelegramUpdates.Message(Bilal, "", firstName: "Bilal");
        var message = update["message"]!.AsObject();
        message.Remove("text");
        message.Remove("entities");
        message["caption"] = "/import";
        message["caption_entities"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = 7 });
        message["document"] = new System.Text.Json.Nodes.JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["file_name"] = "feeds.opml", ["mime_type"] = "text/x-opml", ["file_size"] = 400 };
        return update;
    }

    [Fact]
    public async Task Through_listen_an_opml_file_sent_with_import_is_imported_the_same_way()
    {
        var feed = app.Feeds.Serve("dawn/", Rss.WordPress("Dawn", new Item("Story", "https://dawn.example/1")));
        await app.Services.GetRequiredService<ConfigPublisher>().PushAsync($$"""
            { "feeds": [], "channels": [], "rules": [], "editors": [ { "user": {{Bilal}}, "name": "Bilal", "role": "admin" } ] }
            """, "file 'syndication.json'", null, force: true, CancellationToken.None);
        app.Bot.AddFile("opml-2", Encoding.UTF8.GetBytes($"""<opml version="1.0"><body><outline text="Dawn" xmlUrl="{feed}"/></body></opml>"""));
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(() => new Listener(app.Services.GetRequiredService<Syndication.Telegram.EditorBot>(), app.Containers,
            app.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
            app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Listener>>()) { WaitSeconds = 1 }.ListenAsync(null, stop.Token));

        app.Bot.QueueUpdate(ImportDocument("opml-2"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        SentMessage? reply = null;
        while (reply is null && DateTime.UtcNow < deadline)
        {
            reply = app.Bot.Messages.FirstOrDefault(m => m.ChatId == Bilal.ToString());
            if (reply is null) await Task.Delay(50);
        }
        stop.Cancel();
        await listening;

        Assert.StartsWith("Done: 1 feed imported (dawn)", reply?.Text);
        Assert.Equal(["dawn"], (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config.Feeds.Select(f => f.Id));
    }

    [Fact]
    public async Task In_telegram_an_opml_file_sent_with_import_adds_its_feeds_as_one_change_undo_removes_them_and_export_sends_a_file()
    {
        var urls = new[] { "dawn", "tribune", "geo" }.Select(f => app.Feeds.Serve($"{f}/", Rss.WordPress(f, new Item("Story", $"https://{f}.example/1")))).ToList();
        await app.Services.GetRequiredService<ConfigPublisher>().PushAsync($$"""
            { "feeds": [ { "id": "pt", "url": "https://www.pakistantoday.com.pk/feed/" } ], "channels": [ { "id": "desk", "chat": "@desk" } ],
              "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"] } ],
              "editors": [ { "user": {{Bilal}}, "name": "Bilal", "role": "admin" }, { "user": 111111111, "name": "Ayesha" } ] }
            """, "file 'syndication.json'", null, force: true, CancellationToken.None);
        app.Bot.AddFile("opml-1", Encoding.UTF8.GetBytes($$"""
            <opml version="2.0"><head><title>Inoreader</title></head><body><outline text="Pakistan">
              <outline type="rss" text="Dawn" xmlUrl="{{urls[0]}}"/><outline type="rss" text="Tribune" xmlUrl="{{urls[1]}}"/><outline type="rss" text="Geo" xmlUrl="{{urls[2]}}"/>
            </outline></body></opml>
            """));
        var imported = await PostAsync(ImportDocument("opml-1"));

        Assert.StartsWith("Done: 3 feeds imported (dawn, tribune, geo); what they carry now is stored without alerts (backfill 0)", imported.Text);
        var live = app.Services.GetRequiredService<LiveConfig>();
        Assert.Equal(["pt", "dawn", "tribune", "geo"], (await live.ReadAsync(CancellationToken.None))!.Value.Config.Feeds.Select(f => f.Id));
        var history = await app.Services.GetRequiredService<ConfigHistory>().ListAsync(5, null, CancellationToken.None);
        Assert.Equal(("/import", "Bilal"), (history[0].Command, history[0].By));

        var undone = await PostAsync(TelegramUpdates.Message(Bilal, "/undo", firstName: "Bilal"));
        Assert.StartsWith("Done: undid Bilal's /import", undone.Text);
        Assert.Equal(["pt"], (await live.ReadAsync(CancellationToken.None))!.Value.Config.Feeds.Select(f => f.Id));

        var exported = await PostAsync(TelegramUpdates.Message(Bilal, "/export", firstName: "Bilal"));
        Assert.Equal("syndication-feeds.opml", exported.Body["document"]!.GetValue<string>());
        Assert.Contains("xmlUrl=\"https://www.pakistantoday.com.pk/feed/\" syndication:id=\"pt\"", exported.Body["document_text"]!.GetValue<string>());
        Assert.StartsWith("1 feed as OPML 2.0", exported.Text);
        // /import typed without a file says how to send one.
        var refused = await PostAsync(TelegramUpdates.Message(Bilal, "/import", firstName: "Bilal"));
        Assert.Contains("Send the .opml file itself", refused.Text);
    }

    [Fact]
    public async Task A_feed_in_a_private_network_is_never_imported_unless_private_networks_are_allowed()
    {
        await using var strict = await TestApp.StartAsync(s => s["Syndication:AllowPrivateNetworks"] = "false");
        await strict.Services.GetRequiredService<ConfigPublisher>().PushAsync("""{ "feeds": [], "channels": [], "rules": [] }""", "file 'syndication.json'", null, force: true, CancellationToken.None);
        var local = strict.Feeds.Serve("local/", Rss.WordPress("Local", new Item("Story", "https://local.example/1")));
        var file = Encoding.UTF8.GetBytes($"""<opml version="2.0"><body><outline text="Router admin" xmlUrl="{local}"/></body></opml>""");

        var result = await strict.Services.GetRequiredService<OpmlImporter>().ImportAsync(file, null, dryRun: false, keepUnreachable: true, null, "test", "opml import", CancellationToken.None);

        Assert.Empty(result.Plan.Added);
        Assert.Equal("line 1 ('Router admin'): not added: its address is in a private network (Syndication__AllowPrivateNetworks is off)", Assert.Single(result.Plan.Problems).ToString());
        Assert.Null(result.Outcome); // nothing to change
    }
}
