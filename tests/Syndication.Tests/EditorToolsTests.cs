using System.Globalization;
using System.Text.Json;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>What editors use before a rule goes live: check --json, preview, and config push/pull against Azurite.</summary>
public sealed class EditorToolsTests : IAsyncLifetime
{
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    const string Rules = """
        { "feeds": [ { "id": "pt", "url": "http://127.0.0.1:9/feed", "tags": ["pakistan"] } ],
          "channels": [ { "id": "desk", "chat": "@security_desk" }, { "id": "sports", "chat": "@sports", "noneOf": ["cricket"] } ],
          "rules": [ { "id": "kayani", "channels": ["desk", "sports"], "anyOf": ["Kayani", "Haqqani network"], "noneOf": ["opinion"] },
                     { "id": "imf", "channels": ["desk"], "anyOf": ["IMF"] } ] }
        """;

    [Fact]
    public async Task Preview_explains_every_item_and_shows_each_channels_message_without_storing_or_sending()
    {
        var config = app.WriteConfig(Rules);

        var result = await CliProcess.RunAsync(app, [], "preview", "--config", config, "--file", Repo.TestData("feeds/pakistan-today.xml"), "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var items = json.RootElement[0].GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["Kayani balks at US demands to cooperate: NYT", "Kayani at the cricket final", "Weather"], items.Select(i => i.GetProperty("title").GetString()));

        var kayani = items[0].GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "kayani");
        Assert.True(kayani.GetProperty("matched").GetBoolean());
        var hits = kayani.GetProperty("hits").EnumerateArray().ToList();
        Assert.Contains(hits, h => h.GetProperty("term").GetString() == "Kayani" && h.GetProperty("field").GetString() == "title");
        Assert.Contains(hits, h => h.GetProperty("field").GetString() == "text" && h.GetProperty("snippet").GetString()!.Contains("attack against the [Haqqani network] in North Waziristan"));
        Assert.Equal(["desk", "sports"], items[0].GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("channelId").GetString()));
        Assert.StartsWith("<b>Kayani balks at US demands to cooperate: NYT</b>\nPakistan Today · 14 May 2011, 10:00 UTC", items[0].GetProperty("messages")[0].GetProperty("html").GetString());

        var cricket = items[1].GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "kayani");
        Assert.Equal("sports", cricket.GetProperty("channelBlocks")[0].GetProperty("channelId").GetString());
        Assert.Equal(["desk"], items[1].GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("channelId").GetString()));
        Assert.Equal("no anyOf term found", items[2].GetProperty("rules")[0].GetProperty("reason").GetString());

        Assert.Equal(0, app.Bot.Requests);
        Assert.False(await app.Containers.Articles.ExistsAsync());
    }

    [Fact]
    public async Task Preview_prints_a_readable_table_and_the_exact_messages()
    {
        var url = app.Feeds.Serve("feed.xml", File.ReadAllText(Repo.TestData("feeds/pakistan-today.xml")));
        var config = app.WriteConfig(Rules.Replace("http://127.0.0.1:9/feed", url.ToString()));

        var result = await CliProcess.RunAsync(app, [], "preview", "--config", config, "--feed", "pt", "--rule", "kayani");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("✓ kayani", result.Output);
        Assert.DoesNotContain("imf", result.Output);
        Assert.Contains("hit 'Kayani' in title: [Kayani] balks at US demands to cooperate: NYT", result.Output);
        Assert.Contains("not to sports: its noneOf 'cricket' in title", result.Output);
        Assert.Contains("Message to desk (@security_desk) for \"Kayani at the cricket final\":\n<b>Kayani at the cricket final</b>\n", result.Output);
        Assert.Contains("3 items, 2 matched, 3 messages.", result.Output);
        Assert.Equal(0, app.Bot.Requests);
    }

    [Fact]
    public async Task Preview_rejects_an_unknown_rule_and_two_sources()
    {
        var config = app.WriteConfig(Rules);

        var unknown = await CliProcess.RunAsync(app, [], "preview", "--config", config, "--rule", "kayanni");
        var both = await CliProcess.RunAsync(app, [], "preview", "--config", config, "--feed", "pt", "--file", Repo.TestData("feeds/atom.xml"));

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--rule: no rule 'kayanni' in the configuration; rules are: kayani, imf", unknown.Errors);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("Give at most one of --feed, --url and --file.", both.Errors);
    }

    [Fact]
    public async Task Check_json_lists_problems_for_machines()
    {
        var config = app.WriteConfig(Rules.Replace("\"IMF\"", "\"/IMF(/\"").Replace("\"anyOf\": [\"Kayani\"", "\"anyof\": [\"Kayani\""));

        var result = await CliProcess.RunAsync(app, [], "check", "--config", config, "--json");

        Assert.Equal(2, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        var errors = json.RootElement.GetProperty("errors").EnumerateArray().Select(e => $"{e.GetProperty("path").GetString()}: {e.GetProperty("message").GetString()}").ToList();
        Assert.Contains("rules[0].anyof: unknown field 'anyof'; did you mean 'anyOf'?", errors);
        Assert.Contains("rules[1].anyOf[0]: invalid regular expression /IMF(/ at position 4: insufficient closing parentheses", errors);

        var clean = await CliProcess.RunAsync(app, [], "check", "--config", app.WriteConfig(Rules), "--json");
        Assert.Equal(0, clean.ExitCode);
        using var cleanJson = JsonDocument.Parse(clean.Output);
        Assert.True(cleanJson.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(2, cleanJson.RootElement.GetProperty("rules").GetInt32());
    }

    [Fact]
    public async Task Config_push_refuses_an_invalid_file_and_a_concurrent_change()
    {
        var alice = app.WriteConfig(Rules);
        var invalid = app.WriteConfig(Rules.Replace("\"desk\", \"sports\"", "\"desk\", \"sprots\""));

        var refused = await CliProcess.RunAsync(app, [], "config", "push", invalid);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("rules[0].channels[1]: unknown channel 'sprots'; did you mean 'sports'?", refused.Errors);
        Assert.False(await app.Containers.Config.GetBlobClient("syndication.json").ExistsAsync());

        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "push", alice)).ExitCode);

        // Bob and Carol both pull the live config, edit it, and push. Bob is first; Carol must not overwrite him.
        var bob = Path.Combine(Path.GetDirectoryName(alice)!, "bob.json");
        var carol = Path.Combine(Path.GetDirectoryName(alice)!, "carol.json");
        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "pull", bob)).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "pull", carol)).ExitCode);
        Assert.Equal(Rules, File.ReadAllText(bob));
        File.WriteAllText(bob, File.ReadAllText(bob).Replace("\"IMF\"", "\"IMF\", \"World Bank\""));
        File.WriteAllText(carol, File.ReadAllText(carol).Replace("\"opinion\"", "\"opinion\", \"cricket\""));

        var bobPush = await CliProcess.RunAsync(app, [], "config", "push", bob);
        var carolPush = await CliProcess.RunAsync(app, [], "config", "push", carol);

        Assert.Equal(0, bobPush.ExitCode);
        Assert.Equal(3, carolPush.ExitCode);
        Assert.Contains("changed since you pulled it", carolPush.Errors);
        var live = await CliProcess.RunAsync(app, [], "config", "pull");
        Assert.Contains("World Bank", live.Output);
        Assert.DoesNotContain("\"opinion\", \"cricket\"", live.Output);

        // A file that was never pulled cannot replace a live config by accident, but --force can.
        var stranger = app.WriteConfig(Rules.Replace("\"IMF\"", "\"IMF\", \"Fed\""));
        Assert.Equal(3, (await CliProcess.RunAsync(app, [], "config", "push", stranger)).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "push", stranger, "--force")).ExitCode);
        Assert.Contains("\"Fed\"", (await CliProcess.RunAsync(app, [], "config", "pull")).Output);
    }

    [Fact]
    public async Task Bad_input_gets_one_line_and_the_documented_exit_code_never_a_stack_trace()
    {
        var folder = Path.GetDirectoryName(app.WriteConfig(Rules))!;
        var quoted = app.WriteConfig("{ 'feeds': [] }");
        var unclosed = app.WriteConfig("{ \"feeds\": [ { \"id\": \"pt\" }\n");
        var cases = new (string[] Args, int Exit, string Says)[]
        {
            (["config", "push", Path.Combine(folder, "missing.json")], 2, "missing.json does not exist"),
            (["config", "push", folder], 2, "is a folder, not a configuration file"),
            (["check", "--config", folder], 2, "is a folder; give the path of the configuration file inside it"),
            (["check", "--config", quoted], 2, "text and field names take double quotes (\"like this\"), not single quotes"),
            (["check", "--config", unclosed], 2, "the file ends before every { and [ is closed"),
            (["run", "--config", Path.Combine(folder, "missing.json")], 2, "cannot be read"),
            (["preview", "--config", app.WriteConfig(Rules), "--url", "not a url"], 2, "--url: 'not a url' is not an absolute http:// or https:// address"),
        };
        foreach (var (args, exit, says) in cases)
        {
            var result = await CliProcess.RunAsync(app, [], args);
            Assert.True(exit == result.ExitCode, $"{string.Join(' ', args)} exited {result.ExitCode}: {result.Errors}");
            Assert.Contains(says, result.Errors + result.Output);
            Assert.DoesNotContain("   at ", result.Errors + result.Output);
            Assert.DoesNotContain("Exception", result.Errors + result.Output);
        }
    }

    [Fact]
    public async Task Preview_url_fetches_the_address_and_tries_every_rule()
    {
        var url = app.Feeds.Serve("preview.xml", File.ReadAllText(Repo.TestData("feeds/pakistan-today.xml")));

        var result = await CliProcess.RunAsync(app, [], "preview", "--config", app.WriteConfig(Rules), "--url", url.ToString(), "--json");

        Assert.True(result.ExitCode == 0, result.Errors);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("Kayani balks at US demands to cooperate: NYT", json.RootElement[0].GetProperty("items")[0].GetProperty("title").GetString());
        Assert.Equal(1, app.Feeds.Hits("preview.xml"));
    }

    [Fact]
    public async Task Pull_never_overwrites_local_edits_and_pushing_the_same_text_is_not_a_new_version()
    {
        var alice = app.WriteConfig(Rules);
        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "push", alice)).ExitCode);
        var version = (await app.Containers.Config.GetBlobClient("syndication.json").GetPropertiesAsync()).Value.ETag;

        var again = await CliProcess.RunAsync(app, [], "config", "push", alice);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("is already the live configuration", again.Output);
        Assert.Equal(version, (await app.Containers.Config.GetBlobClient("syndication.json").GetPropertiesAsync()).Value.ETag);

        var mine = Path.Combine(Path.GetDirectoryName(alice)!, "mine.json");
        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "pull", mine)).ExitCode);
        var edited = File.ReadAllText(mine).Replace("\"IMF\"", "\"IMF\", \"World Bank\"");
        File.WriteAllText(mine, edited);

        var refused = await CliProcess.RunAsync(app, [], "config", "pull", mine);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("has changes that were never pushed", refused.Errors);
        Assert.Equal(edited, File.ReadAllText(mine));

        // A file pulled and left alone follows the live configuration; --force overwrites edits on purpose.
        var untouched = Path.Combine(Path.GetDirectoryName(alice)!, "untouched.json");
        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "pull", untouched)).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "push", mine)).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "pull", untouched)).ExitCode);
        Assert.Contains("World Bank", File.ReadAllText(untouched));
        File.WriteAllText(untouched, "{}");
        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "config", "pull", untouched, "--force")).ExitCode);
        Assert.Contains("World Bank", File.ReadAllText(untouched));
    }

    [Fact]
    public async Task Preview_json_shows_exactly_what_the_parser_read_and_offline_fetches_no_page()
    {
        var published = TestClock.Start.AddHours(-1);
        var page = app.Feeds.Serve("article-page", "<html><body><article><p>Should not be fetched.</p></article></body></html>", "text/html");
        var xml = "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:media=\"http://search.yahoo.com/mrss/\">" +
            "<channel><title>Caf&eacute; &lt;b&gt;Desk&lt;/b&gt;</title><link>https://site.example/</link>" +
            $"<item><title>Kayani &lt;i&gt;speaks&lt;/i&gt;</title><link>{page}</link><guid isPermaLink=\"false\">k-1</guid>" +
            $"<dc:date>{published.ToOffset(TimeSpan.FromHours(5)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)}</dc:date><dc:creator>Ayesha Khan</dc:creator><category>Region</category>" +
            "<media:thumbnail url=\"https://cdn.example/k.jpg\"/><description>General Kayani spoke.</description></item></channel></rss>";
        var file = Path.Combine(Path.GetDirectoryName(app.WriteConfig(Rules))!, "feed.xml");
        File.WriteAllText(file, xml);

        var result = await CliProcess.RunAsync(app, [], "preview", "--config", app.WriteConfig(Rules), "--file", file, "--json", "--offline");

        Assert.True(result.ExitCode == 0, result.Errors);
        using var json = JsonDocument.Parse(result.Output);
        var feed = json.RootElement[0];
        Assert.Equal("Café Desk", feed.GetProperty("title").GetString());
        Assert.Contains(feed.GetProperty("repairs").EnumerateArray(), r => r.GetString()!.Contains("HTML entity"));
        var item = feed.GetProperty("items")[0];
        Assert.Equal("k-1", item.GetProperty("key").GetString());
        Assert.Equal("Kayani speaks", item.GetProperty("title").GetString());
        Assert.Equal(page.ToString(), item.GetProperty("link").GetString());
        Assert.Equal(published.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), item.GetProperty("published").GetString());
        Assert.Equal("Ayesha Khan", item.GetProperty("author").GetString());
        Assert.Equal(["Region"], item.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("https://cdn.example/k.jpg", item.GetProperty("image").GetString());
        Assert.Equal("General Kayani spoke.", item.GetProperty("text").GetString());
        Assert.Equal(0, app.Feeds.Hits("article-page")); // a 3-word teaser, yet no page fetched
    }
}
