using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The editors' page as an editor meets it: <c>syndication serve</c> run as a real process against Azurite, opened in
/// Chromium with launch data signed as Telegram signs it, and its API tried with what an attacker would send.
/// </summary>
public sealed class EditorPageTests : IAsyncLifetime
{
    const long Bilal = 501, Sana = 502, Stranger = 999;
    TestApp app = null!;
    Process serve = null!;
    string root = null!;
    readonly HttpClient http = new();

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync();
        var dawn = app.Feeds.Serve("dawn/", Rss.WordPress("Dawn",
            new Item("Army chief Kayani meets the prime minister", "https://dawn.example/1", Published: app.Clock.GetUtcNow().AddHours(-2)),
            new Item("Budget debate in the National Assembly", "https://dawn.example/2", Published: app.Clock.GetUtcNow().AddHours(-3)),
            new Item("Cricket: Pakistan win the toss", "https://dawn.example/3", Published: app.Clock.GetUtcNow().AddHours(-4))));
        var jang = app.Feeds.Serve("jang/", Rss.WordPress("Jang", new Item("آرمی چیف کیانی کی وزیراعظم سے ملاقات", "https://jang.example/1", Published: app.Clock.GetUtcNow().AddHours(-1))));
        await app.Services.GetRequiredService<ConfigPublisher>().PushAsync($$"""
            { "feeds": [ { "id": "dawn", "url": "{{dawn}}", "name": "Dawn", "backfill": 0 }, { "id": "jang", "url": "{{jang}}", "name": "روزنامہ جنگ", "backfill": 0 },
                         { "id": "gone", "url": "http://127.0.0.1:9/feed.xml", "name": "Gone <img src=x onerror=window.pwned=1>" } ],
              "channels": [ { "id": "desk", "chat": "@desk" }, { "id": "urdu", "chat": "@urdu", "language": "ur" } ],
              "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani", "کیانی"] }, { "id": "budget", "channels": ["desk"], "anyOf": ["budget"] } ],
              "editors": [ { "user": {{Bilal}}, "name": "Bilal", "role": "admin" }, { "user": {{Sana}}, "name": "Sana", "role": "editor" } ] }
            """, "file 'syndication.json'", null, force: true, CancellationToken.None);
        await app.SweepAsync(null!); // stores the articles the rule is tried on; the gone feed fails

        var port = FreePort();
        serve = CliProcess.Start(app, [], "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--for", "5m",
            "--public", "https://editors.example.trycloudflare.com");
        root = $"http://127.0.0.1:{port}/app/";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(root)).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (serve.HasExited) throw new InvalidOperationException($"syndication serve stopped with exit code {serve.ExitCode}");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (!serve.HasExited) serve.Kill(entireProcessTree: true);
        await serve.WaitForExitAsync();
        serve.Dispose();
        http.Dispose();
        await app.DisposeAsync();
    }

    static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    string Signed(long user, string name, TimeSpan? age = null) => MiniAppLaunch.Sign(user, name, app.Clock.GetUtcNow() - (age ?? TimeSpan.FromMinutes(1)));

    async Task<(HttpStatusCode Status, JsonNode? Body)> ApiAsync(HttpMethod method, string path, string? initData, string? body = null)
    {
        using var request = new HttpRequestMessage(method, root + "api/" + path);
        if (initData is not null) request.Headers.Add("X-Telegram-Init-Data", initData);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task The_api_answers_only_editors_whose_launch_data_this_bot_signed_within_the_hour()
    {
        Assert.Equal("https://editors.example.trycloudflare.com/app/", app.Bot.MenuButton!["web_app"]!["url"]!.GetValue<string>()); // serve --public
        var page = await http.GetAsync(root);
        Assert.Contains("frame-ancestors https://web.telegram.org", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        using (var bare = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }).GetAsync(root.TrimEnd('/')))
            Assert.Equal(("app/", HttpStatusCode.PermanentRedirect), (bare.Headers.Location?.OriginalString, bare.StatusCode));

        var forged = await ApiAsync(HttpMethod.Get, "overview", MiniAppLaunch.Sign(Bilal, "Bilal", app.Clock.GetUtcNow(), forgeHash: new string('0', 64)));
        var old = await ApiAsync(HttpMethod.Get, "overview", Signed(Bilal, "Bilal", TimeSpan.FromMinutes(61)));
        var none = await ApiAsync(HttpMethod.Get, "overview", null);
        var stranger = await ApiAsync(HttpMethod.Get, "overview", Signed(Stranger, "Mallory"));
        var oversized = await ApiAsync(HttpMethod.Post, "rules/kayani/try", Signed(Bilal, "Bilal"), "{\"anyOf\":[\"" + new string('x', 70_000) + "\"]}");

        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
        Assert.StartsWith("Refused: the launch data's signature is not this bot's", forged.Body!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, old.Status);
        Assert.Contains("at most 60 are accepted", old.Body!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal(HttpStatusCode.Forbidden, stranger.Status);
        Assert.StartsWith("This page is for the bot's editors", stranger.Body!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.Status);
        Assert.All(new[] { forged, old, none, stranger, oversized }, r => Assert.DoesNotContain(FakeBotApi.Token, r.Body!.ToJsonString(), StringComparison.Ordinal));

        // Roles are the chat's: an editor may not undo the operator's push (an admin's), but undoes her own rule's edit.
        var sana = Signed(Sana, "Sana");
        var live = (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config;
        await app.Services.GetRequiredService<EditorCommands>().RunAsync(live.FindEditor(Bilal)!, "/removefeed gone", live, CancellationToken.None);
        var adminsUndo = await ApiAsync(HttpMethod.Post, "undo", sana, "{}");
        Assert.Matches("^The last change is .*/removefeed gone.*; only an admin may undo it\\.$", adminsUndo.Body!["message"]!.GetValue<string>());
        var saved = await ApiAsync(HttpMethod.Post, "rules/budget", sana, """{"anyOf":["budget","finance bill"],"allOf":[],"noneOf":[],"channels":["desk"],"feeds":null}""");
        Assert.Equal("Saved, and live: budget: anyOf + finance bill. Undo is under History.", saved.Body!["message"]!.GetValue<string>());
        var undone = await ApiAsync(HttpMethod.Post, "undo", sana, "{}");
        Assert.StartsWith("Done: undid Sana's page: rule budget", undone.Body!["message"]!.GetValue<string>());
        Assert.Equal(["budget"], (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config.FindRule("budget")!.AnyOf);

        // An editor's requests are limited as commands are: the 61st within a minute is refused.
        var bilal = Signed(Bilal, "Bilal");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Syndication.Pages.EditorPage.PerMinute + 1; i++)
            statuses.Add((await ApiAsync(HttpMethod.Post, "rules/kayani/try", bilal, """{"anyOf":["Kayani"],"allOf":[],"noneOf":[],"channels":["desk"],"feeds":null}""")).Status);
        Assert.Equal(Syndication.Pages.EditorPage.PerMinute, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task An_editor_sees_rules_and_feeds_edits_a_rule_watching_its_matches_saves_it_and_undoes_it()
    {
        await using var chromium = await ChromiumBrowser.LaunchAsync();
        var screenshots = Environment.GetEnvironmentVariable("SYNDICATION_SCREENSHOTS"); // scripts/dev/screenshots.sh sets it to docs/screens
        foreach (var dark in new[] { false, true })
        {
            var theme = dark
                ? """{"bg_color":"#17212b","text_color":"#f5f5f5","hint_color":"#a5b0bb","link_color":"#6ab3f3","button_color":"#5288c1","button_text_color":"#ffffff","secondary_bg_color":"#232e3c"}"""
                : """{"bg_color":"#ffffff","text_color":"#000000","hint_color":"#707579","link_color":"#2481cc","button_color":"#2481cc","button_text_color":"#ffffff","secondary_bg_color":"#f0f0f0"}""";
            // Light on a phone's width, dark on a desktop's.
            var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                ViewportSize = dark ? new ViewportSize { Width = 1280, Height = 800 } : new ViewportSize { Width = 420, Height = 860 },
                ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
            });
            await context.RouteAsync("https://telegram.org/**", route => route.AbortAsync()); // Telegram's script is not reachable here; the page reads the address instead
            var page = await context.NewPageAsync();
            var errors = new List<string>();
            page.Console += (_, message) => { if (message.Type == "error" && !message.Text.Contains("telegram.org", StringComparison.Ordinal) && !message.Text.Contains("ERR_FAILED", StringComparison.Ordinal)) errors.Add(message.Text); };
            await page.GotoAsync(root + "#tgWebAppData=" + Uri.EscapeDataString(Signed(Bilal, "Bilal")) + "&tgWebAppVersion=8.0&tgWebAppPlatform=web&tgWebAppThemeParams=" + Uri.EscapeDataString(theme));
            await page.WaitForSelectorAsync("body[data-ready=true]");

            // Rules, noisiest first (none has sent yet, so by id), with their figures and charts; feeds, the failing one first with its error in words.
            Assert.Equal("Bilal · admin", await page.TextContentAsync("#who"));
            Assert.Equal(["budget", "kayani"], await page.Locator("#rule-list button").AllTextContentsAsync());
            Assert.Equal(2, await page.Locator("#rule-list svg.chart").CountAsync());
            await Shot(page, screenshots, "rules", dark);
            await Accessible(page);
            await page.ClickAsync("#tab-feeds");
            // Every column on a desktop; on a phone, "Next due" gives way so the line of articles a day still fits.
            Assert.Equal(dark, await page.Locator("#feeds-section th:nth-child(4)").IsVisibleAsync());
            Assert.True(await page.Locator("#feed-rows tr").First.Locator("svg.spark").IsVisibleAsync());
            Assert.Equal(["gone", "dawn", "jang"], await page.Locator("#feed-rows tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.feed)"));
            Assert.Contains("Failing:", await page.Locator("#feed-rows tr").First.TextContentAsync());
            // What editors and feeds wrote is shown as text, never run: a feed named with markup stays its name.
            Assert.StartsWith("Gone <img src=x onerror=window.pwned=1>", await page.Locator("#feed-rows tr").First.Locator("strong").TextContentAsync());
            Assert.Equal(0, await page.Locator("#feed-rows img").CountAsync());
            Assert.False(await page.EvaluateAsync<bool>("() => window.pwned === 1"));
            await Shot(page, screenshots, "feeds", dark);
            await Accessible(page);

            // One rule: the matches change as the terms are typed, with the matched words marked.
            await page.ClickAsync("#tab-rules");
            await page.ClickAsync("[data-rule=kayani]");
            await Expect(page, "#trial-count", "2 of the 4 newest stored articles");
            Assert.Equal(["Kayani", "کیانی"], await page.Locator("#trial mark").AllTextContentsAsync());
            // An Urdu headline reads right to left among English ones.
            Assert.Equal(["ltr", "rtl"], await page.Locator("#trial li > a").EvaluateAllAsync<string[]>("links => links.map(a => getComputedStyle(a).direction)"));
            await page.FillAsync("#anyOf", "Kayani\nکیانی\nbudget");
            await Expect(page, "#trial-count", "3 of the 4 newest stored articles");
            await page.FillAsync("#noneOf", "Assembly");
            await Expect(page, "#trial-count", "2 of the 4 newest stored articles");
            await page.FillAsync("#noneOf", "");
            await Expect(page, "#trial-count", "3 of the 4 newest stored articles");
            await page.CheckAsync("#caseSensitive"); // "budget" no longer finds "Budget debate"
            await Expect(page, "#trial-count", "2 of the 4 newest stored articles");
            await page.UncheckAsync("#caseSensitive");
            await Expect(page, "#trial-count", "3 of the 4 newest stored articles");
            await Shot(page, screenshots, "rule", dark);
            await Accessible(page);
            if (dark)
            {
                // The change is saved and undone once, in the light theme; the dark one shows the history as it stands.
                await page.ClickAsync("#tab-history");
                await Shot(page, screenshots, "history", dark);
                await Accessible(page);
                break;
            }

            await page.ClickAsync("#save");
            await Expect(page, "#saved", "Saved, and live: kayani: anyOf + budget");
            var live = (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config;
            Assert.Equal(["Kayani", "کیانی", "budget"], live.FindRule("kayani")!.AnyOf);
            var history = await app.Services.GetRequiredService<ConfigHistory>().ListAsync(5, null, CancellationToken.None);
            Assert.Equal(("Bilal", "page: rule kayani", "kayani: anyOf + budget"), (history[0].By, history[0].Command, history[0].Summary));

            await page.ClickAsync("#tab-history");
            Assert.Contains("+ ", await page.Locator("#changes li").First.Locator("pre .add").First.TextContentAsync());
            await Shot(page, screenshots, "history", dark);
            await Accessible(page);
            await page.ClickAsync("#undo");
            await Expect(page, "#undone", "Done: undid");
            live = (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config;
            Assert.Equal(["Kayani", "کیانی"], live.FindRule("kayani")!.AnyOf);
            Assert.Empty(errors);
            await context.CloseAsync();
        }
    }

    static async Task Expect(IPage page, string selector, string start)
    {
        try
        {
            await page.WaitForFunctionAsync("([s, t]) => (document.querySelector(s).textContent || '').startsWith(t)", new[] { selector, start }, new PageWaitForFunctionOptions { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{selector} never read “{start}…”; it reads “{await page.TextContentAsync(selector)}”");
        }
    }

    static async Task Accessible(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html + " " + string.Join(" ", n.Any.Select(c => c.Message))))})").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }

    static async Task Shot(IPage page, string? folder, string name, bool dark)
    {
        if (folder is null) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{(dark ? "dark" : "light")}.png"), FullPage = true });
    }
}
