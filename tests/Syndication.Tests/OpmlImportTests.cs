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

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
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
        Assert.Contains("! line 8 ('Gone'): not added, unreachable:", imported.Output);
        Assert.Contains("Imported: 3 feeds imported (the-express-tribune, geo-news, jang); what they carry now is stored without alerts (backfill 0); 1 feed already watched: dawn; 1 outline not imported", imported.Output);
        var live = (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config;
        Assert.Equal(["dawn", "the-express-tribune", "geo-news", "jang"], live.Feeds.Select(f => f.Id));
        Assert.All(live.Feeds.Skip(1), f => Assert.Equal((0, "pakistan"), (f.Backfill, Assert.Single(f.Tags!))));
        var history = await app.Services.GetRequiredService<ConfigHistory>().ListAsync(5, null, CancellationToken.None);
        Assert.StartsWith("syndication opml import", history[0].Command);

        var exported = await CliProcess.RunAsync(app, [], "opml", "export");
        Assert.Equal(0, exported.ExitCode);
        Assert.Contains($"xmlUrl=\"{geo}\" syndication:id=\"geo-news\"", exported.Output);

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
}
