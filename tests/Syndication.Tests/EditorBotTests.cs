using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Syndication.Tests;

/// <summary>
/// Editors run the bot from Telegram, end to end: updates as Telegram sends them, through the webhook's handling (the
/// secret, the size limit, each update_id once) or long polling, against the live configuration in Azurite, answered
/// through the real Telegram.Bot client at the fake Bot API.
/// </summary>
[Trait(SecondPass.Name, SecondPass.YearAhead)]
public sealed class EditorBotTests(ITestOutputHelper output) : IAsyncLifetime
{
    const string Secret = "webhook-Secret_0123456789";
    const long Ayesha = 111111111, Bilal = 222222222, Stranger = 333333333, EditorsChat = -100777;
    TestApp app = null!;
    int nextUpdate = 9000;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(s => s["Telegram:WebhookSecret"] = Secret);
    public async Task DisposeAsync() => await app.DisposeAsync();

    static string Config(string extraRule = "") => $$"""
        {
          "feeds": [ { "id": "pakistan-today", "url": "http://127.0.0.1:9/feed" }, { "id": "dawn", "url": "http://127.0.0.1:9/dawn" } ],
          "channels": [ { "id": "desk", "chat": "@security_desk" }, { "id": "ops", "chat": "@ops_desk" } ],
          "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani", "Haqqani network"], "noneOf": ["cricket"] }{{extraRule}} ],
          "alerts": { "chat": "{{EditorsChat}}" },
          "editors": [ { "user": {{Ayesha}}, "name": "Ayesha" }, { "user": {{Bilal}}, "name": "Bilal", "role": "admin" } ]
        }
        """;

    Task PublishAsync(string json) => app.Services.GetRequiredService<ConfigPublisher>().PushAsync(json, "file 'syndication.json'", null, force: true, CancellationToken.None);

    async Task<SyndicationConfig> LiveAsync() => (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Config;

    /// <summary>Posts the update to the webhook's handling as Telegram would, and returns the HTTP status it answers.</summary>
    async Task<int> PostAsync(JsonObject update, string? secret = Secret, int? id = null)
    {
        TelegramUpdates.Numbered(update, id ?? Interlocked.Increment(ref nextUpdate));
        var bytes = Encoding.UTF8.GetBytes(update.ToJsonString());
        using var body = new MemoryStream(bytes);
        var (status, _) = await app.Services.GetRequiredService<WebhookReceiver>().ReceiveAsync(secret, bytes.Length, body, CancellationToken.None);
        return status;
    }

    /// <summary>Sends a command as <paramref name="user"/> in a private chat and returns the bot's one reply.</summary>
    async Task<SentMessage> AskAsync(long user, string text)
    {
        var before = app.Bot.Messages.Count;
        Assert.Equal(200, await PostAsync(TelegramUpdates.Message(user, text)));
        var replies = app.Bot.Messages.Skip(before).ToList();
        return Assert.Single(replies, m => m.ChatId == user.ToString());
    }

    [Fact]
    public async Task Editors_read_the_rules_and_feeds_and_the_answers_are_valid_Telegram_HTML_with_buttons()
    {
        await PublishAsync(Config());

        var help = await AskAsync(Ayesha, "/help");
        Assert.Contains("Hello Ayesha", help.Text);
        Assert.Contains("/add ID term…", help.Text);
        Assert.Contains("/pause ID [30m|6h|2d|1w]", help.Text); // as the reference says, and as /pause takes it
        Assert.DoesNotContain("/removefeed", help.Text); // an admin's command, not shown to an editor
        Assert.Contains("/removefeed", (await AskAsync(Bilal, "/help")).Text);

        // The reference's table of commands is what the bot offers an admin, usage for usage.
        var table = File.ReadAllLines(Path.Combine(Repo.Root, "docs", "telegram.md")).Where(l => l.StartsWith("| `/"))
            .SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l.Split(" | ")[0], "`(/[^`]+)`").Select(m => m.Groups[1].Value.Replace("\\|", "|")));
        var offered = System.Text.RegularExpressions.Regex.Matches((await AskAsync(Bilal, "/help")).Text, "\n<code>(/[a-z]+[^<]*)</code> ").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value));
        Assert.Equal(offered.Order(), table.Order());

        var rules = await AskAsync(Ayesha, "/rules");
        Assert.Contains("<b>kayani</b> → desk: 2 terms", rules.Text);
        Assert.Equal("/rule kayani", rules.Body["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>());

        var rule = await AskAsync(Ayesha, "/rule kayani");
        Assert.Contains("Any of: <code>Kayani</code>, <code>Haqqani network</code>", rule.Text);
        Assert.Contains("None of: <code>cricket</code>", rule.Text);
        Assert.NotNull(rule.Body["reply_parameters"]); // an answer to the editor's message
        Assert.Contains("There is no rule 'kayan'; did you mean 'kayani'?", (await AskAsync(Ayesha, "/rule kayan")).Text);
        Assert.Contains("There is no /rulez; did you mean /rules?", (await AskAsync(Ayesha, "/rulez")).Text);

        var feeds = await AskAsync(Ayesha, "/feeds");
        Assert.Contains("<b>pakistan-today</b> 127.0.0.1: not read yet", feeds.Text);

        var status = await AskAsync(Ayesha, "/status");
        Assert.Contains("Alerts waiting: 0", status.Text);
        Assert.Contains("Dead letters: 0", status.Text);
        // Every answer went through the strict fake Bot API, which refuses invalid HTML and over-long text.
        Assert.All(app.Bot.Messages, m => Assert.Equal("HTML", m.ParseMode, ignoreCase: true));
    }

    [Fact]
    public async Task A_change_is_validated_written_recorded_and_undone_and_an_invalid_one_is_refused_with_its_path()
    {
        await PublishAsync(Config());

        var added = await AskAsync(Ayesha, "/add kayani \"army chief\" ISI");
        Assert.Contains("Done: kayani: anyOf + army chief, ISI", added.Text);
        Assert.Equal(["Kayani", "Haqqani network", "army chief", "ISI"], (await LiveAsync()).Rules[0].AnyOf);

        var invalid = await AskAsync(Ayesha, "/new imf econ-desk IMF");
        Assert.Contains("would make the configuration invalid", invalid.Text);
        Assert.Contains("rules[1].channels[0]: unknown channel 'econ-desk'", invalid.Text);
        Assert.Single((await LiveAsync()).Rules);

        Assert.Contains("Done: new rule imf → desk: IMF, State Bank", (await AskAsync(Ayesha, "/new imf desk IMF “State Bank”")).Text);
        Assert.Equal(["IMF", "State Bank"], (await LiveAsync()).Rules[1].AnyOf);
        Assert.Contains("There is already a rule 'imf'", (await AskAsync(Ayesha, "/new imf desk IMF")).Text);
        Assert.Contains("Done: imf: noneOf + cricket", (await AskAsync(Ayesha, "/exclude imf cricket")).Text);
        Assert.Equal(["cricket"], (await LiveAsync()).Rules[1].NoneOf);
        Assert.Contains("Done: imf: − State Bank", (await AskAsync(Ayesha, "/remove imf \"State Bank\"")).Text);
        Assert.Equal(["IMF"], (await LiveAsync()).Rules[1].AnyOf);
        Assert.Contains("Done: undid Ayesha's /remove imf \"State Bank\"", (await AskAsync(Ayesha, "/undo")).Text.Replace("&quot;", "\""));
        Assert.Contains("Done: undid Ayesha's /exclude imf cricket", (await AskAsync(Ayesha, "/undo")).Text);
        Assert.Contains("Done: undid Ayesha's /new imf desk IMF \"State Bank\"", (await AskAsync(Ayesha, "/undo")).Text.Replace("&quot;", "\""));
        Assert.Single((await LiveAsync()).Rules);
        Assert.Contains("Rule 'kayani' has no term “Mullen”", (await AskAsync(Ayesha, "/remove kayani Mullen")).Text);
        Assert.Contains("/new ID CHANNEL term…", (await AskAsync(Ayesha, "/new imf")).Text);
        Assert.Contains("Only an admin may", (await AskAsync(Ayesha, "/removefeed dawn")).Text);

        var history = await AskAsync(Ayesha, "/history");
        Assert.Contains("<b>Ayesha</b> <code>/add kayani &quot;army chief&quot; ISI</code>: kayani: anyOf + army chief, ISI", history.Text);
        Assert.Contains("<b>file 'syndication.json'</b> <code>config push --force</code>", history.Text);

        // Someone else's change is named, and undone only when confirmed.
        var asked = await AskAsync(Bilal, "/undo");
        Assert.Contains("The last change is Ayesha's /add kayani &quot;army chief&quot; ISI (kayani: anyOf + army chief, ISI,", asked.Text);
        Assert.Equal(4, (await LiveAsync()).Rules[0].AnyOf.Count);
        var confirm = asked.Body["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>();
        Assert.StartsWith("/undo ", confirm);
        var undone = await AskAsync(Bilal, confirm);
        Assert.Contains("Done: undid Ayesha's /add kayani &quot;army chief&quot; ISI", undone.Text);
        Assert.Equal(["Kayani", "Haqqani network"], (await LiveAsync()).Rules[0].AnyOf);
        Assert.Contains("<b>Bilal</b> <code>/undo</code>", (await AskAsync(Ayesha, "/history")).Text);
        // The push before it was the first configuration: nothing to go back to.
        Assert.Contains("there is nothing before it to go back to", (await AskAsync(Bilal, "/undo")).Text);
    }

    [Fact]
    public async Task Undo_never_crosses_a_role_and_a_demoted_admin_cannot_undo_the_demotion()
    {
        await PublishAsync(Config());
        Assert.Contains("Done: feed dawn removed", (await AskAsync(Bilal, "/removefeed dawn")).Text);

        // Before: Ayesha, an editor, undid the admin's /removefeed and the feed was back.
        var refused = await AskAsync(Ayesha, "/undo");
        Assert.Contains("The last change is Bilal's /removefeed dawn", refused.Text);
        Assert.Contains("only an admin may undo it", refused.Text);
        var id = (await app.Services.GetRequiredService<ConfigHistory>().ListAsync(1, null, CancellationToken.None))[0].Id;
        Assert.Contains("only an admin may undo it", (await AskAsync(Ayesha, "/undo " + id)).Text); // confirming does not help
        Assert.DoesNotContain((await LiveAsync()).Feeds, f => f.Id == "dawn");

        // Bilal is made an editor by a push of the file. Before: his /undo reverted the push and made him admin again.
        var demoted = JsonNode.Parse((await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Json)!.AsObject();
        demoted["editors"]![1]!["role"] = "editor";
        await app.Services.GetRequiredService<ConfigPublisher>().PushAsync(demoted.ToJsonString(), "file 'syndication.json'", null, force: true, CancellationToken.None);
        var undemoted = await AskAsync(Bilal, "/undo");
        Assert.Contains("changed who may edit (editors or roles); that is never undone from Telegram", undemoted.Text);
        Assert.Equal(EditorRole.Editor, (await LiveAsync()).FindEditor(Bilal)!.Role);
        Assert.Contains("Only an admin may", (await AskAsync(Bilal, "/addfeed http://127.0.0.1:9/geo")).Text);

        // One's own change is undone at once; the button under "Done" undoes exactly that change.
        var paused = await AskAsync(Ayesha, "/pause kayani 1h");
        var button = paused.Body["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>();
        Assert.Contains("Done: undid Ayesha's /pause kayani 1h", (await AskAsync(Ayesha, button)).Text);
        Assert.Null((await LiveAsync()).Rules[0].PausedUntil);
        Assert.Contains("no longer the last one", (await AskAsync(Ayesha, button)).Text); // pressed twice: the second finds another change last
    }

    [Fact]
    public async Task A_change_whose_history_cannot_be_written_does_not_go_live_and_an_orphan_entry_is_never_shown()
    {
        await using var faults = await StorageFaults.StartAsync();
        await using var faulty = await TestApp.StartAsync(s =>
        {
            s["Telegram:WebhookSecret"] = Secret;
            s["ArticleStorage"] = faults.ConnectionString;
            s["Syndication:ContainerPrefix"] = app.ContainerPrefix; // the same storage as this test's app
        });
        await PublishAsync(Config());
        var history = faulty.Services.GetRequiredService<ConfigHistory>();
        faults.Fail((method, path) => method == "PUT" && path.Contains("/history/", StringComparison.Ordinal));

        // Before: the configuration changed, the editor was told the term was "already" there on the retry, and neither
        // /history nor /undo ever saw the change.
        var update = TelegramUpdates.Message(Ayesha, "/add kayani ISI");
        TelegramUpdates.Numbered(update, 777);
        var bytes = Encoding.UTF8.GetBytes(update.ToJsonString());
        Assert.Equal(500, (await faulty.Services.GetRequiredService<WebhookReceiver>().ReceiveAsync(Secret, bytes.Length, new MemoryStream(bytes), CancellationToken.None)).Status);
        Assert.Equal(2, (await LiveAsync()).Rules[0].AnyOf.Count);

        // Telegram sends the update again once storage is back: the change is made, and recorded.
        faults.Fail(null);
        Assert.Equal(200, (await faulty.Services.GetRequiredService<WebhookReceiver>().ReceiveAsync(Secret, bytes.Length, new MemoryStream(bytes), CancellationToken.None)).Status);
        Assert.Contains("ISI", (await LiveAsync()).Rules[0].AnyOf);
        Assert.Equal("/add kayani ISI", (await history.ListAsync(1, null, CancellationToken.None))[0].Command);

        // An entry left behind by a change that never went live (its push failed, and so did taking it out) is not shown.
        var live = (await app.Services.GetRequiredService<LiveConfig>().ReadAsync(CancellationToken.None))!.Value.Json;
        await history.AppendAsync(Ayesha, "Ayesha", "/add kayani ghost", "kayani: anyOf + ghost", live, live.Replace("ISI", "ghost"), null, CancellationToken.None);
        Assert.Equal("/add kayani ISI", (await history.ListAsync(1, live, CancellationToken.None))[0].Command);
        Assert.Contains("Done: undid Ayesha's /add kayani ISI", (await AskAsync(Ayesha, "/undo")).Text);
    }

    [Fact]
    public async Task Pausing_resuming_and_removing_write_what_check_reads()
    {
        await PublishAsync(Config());
        var now = app.Clock.GetUtcNow();

        Assert.Contains("Done: kayani paused until", (await AskAsync(Ayesha, "/pause kayani 6h")).Text);
        var paused = (await LiveAsync()).Rules[0];
        Assert.InRange(paused.PausedUntil!.Value, now.AddHours(6).AddMinutes(-1), now.AddHours(6));
        Assert.Contains("(paused until", (await AskAsync(Ayesha, "/rules")).Text);
        Assert.Contains("“6 hours” is not a time to pause for", (await AskAsync(Ayesha, "/pause kayani \"6 hours\"")).Text);
        Assert.Contains("Done: kayani resumed", (await AskAsync(Ayesha, "/resume kayani")).Text);
        Assert.Null((await LiveAsync()).Rules[0].PausedUntil);
        Assert.Contains("Done: kayani paused until /resume", (await AskAsync(Ayesha, "/pause kayani")).Text);
        Assert.False((await LiveAsync()).Rules[0].Enabled);

        Assert.Contains("Done: feed dawn paused", (await AskAsync(Ayesha, "/pausefeed dawn")).Text);
        Assert.False((await LiveAsync()).Feeds[1].Enabled);
        Assert.Contains("Feed 'dawn' is already paused", (await AskAsync(Ayesha, "/pausefeed dawn")).Text);
        Assert.Contains("Done: feed dawn resumed", (await AskAsync(Ayesha, "/resumefeed dawn")).Text);
        Assert.True((await LiveAsync()).Feeds[1].Enabled);
        Assert.Contains("Done: feed dawn removed", (await AskAsync(Bilal, "/removefeed dawn")).Text);
        Assert.Single((await LiveAsync()).Feeds);
        // A feed a rule names cannot go: the same error, with its path, as check gives.
        await PublishAsync(Config().Replace("\"channels\": [\"desk\"], \"anyOf\"", "\"channels\": [\"desk\"], \"feeds\": [\"dawn\"], \"anyOf\""));
        Assert.Contains("rules[0].feeds[0]: unknown feed 'dawn'", (await AskAsync(Bilal, "/removefeed dawn")).Text);
    }

    [Fact]
    public async Task Two_editors_changing_one_rule_at_once_one_succeeds_and_the_other_is_told()
    {
        await PublishAsync(Config());
        var live = app.Services.GetRequiredService<LiveConfig>();
        var bothRead = new Barrier(2);

        string Change(JsonObject root, string term)
        {
            bothRead.SignalAndWait(TimeSpan.FromSeconds(10)); // both have read the same version before either writes
            root["rules"]![0]!["anyOf"]!.AsArray().Add(term);
            return $"kayani + {term}";
        }
        var outcomes = await Task.WhenAll(
            Task.Run(() => live.ChangeAsync(Ayesha, "Ayesha", "/add kayani ISI", (root, _) => Change(root, "ISI"), CancellationToken.None)),
            Task.Run(() => live.ChangeAsync(Bilal, "Bilal", "/add kayani Mullen", (root, _) => Change(root, "Mullen"), CancellationToken.None)));

        Assert.Single(outcomes, o => o is ChangeOutcome.Done);
        var conflict = Assert.Single(outcomes.OfType<ChangeOutcome.Conflict>());
        Assert.Contains("The configuration changed while your command ran", conflict.Message);
        Assert.Contains("Nothing was changed", conflict.Message);
        var anyOf = (await LiveAsync()).Rules[0].AnyOf;
        Assert.Equal(3, anyOf.Count); // exactly one of the two terms: neither change overwrote the other
        Assert.Single(await app.Services.GetRequiredService<ConfigHistory>().ListAsync(10, null, CancellationToken.None), e => e.Command.StartsWith("/add", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_webhook_answers_only_Telegram_refuses_large_bodies_and_handles_each_update_once()
    {
        await PublishAsync(Config());

        Assert.Equal(401, await PostAsync(TelegramUpdates.Message(Ayesha, "/rules"), secret: null));
        Assert.Equal(401, await PostAsync(TelegramUpdates.Message(Ayesha, "/rules"), secret: "webhook-Secret_0123456788"));
        Assert.Empty(app.Bot.Messages);

        var huge = TelegramUpdates.Message(Ayesha, "/add kayani " + new string('x', 1024 * 1024));
        Assert.Equal(413, await PostAsync(huge));
        Assert.Empty(app.Bot.Messages);

        var update = TelegramUpdates.Message(Ayesha, "/add kayani ISI");
        Assert.Equal(200, await PostAsync(update, id: 4711));
        Assert.Equal(200, await PostAsync(TelegramUpdates.Message(Ayesha, "/add kayani ISI"), id: 4711)); // Telegram sending it again
        Assert.Single(app.Bot.Messages);
        Assert.Contains(app.Logs.Lines, l => l.Contains("Update 4711 was handled already"));

        using var notJson = new MemoryStream("{ not json"u8.ToArray());
        Assert.Equal(400, (await app.Services.GetRequiredService<WebhookReceiver>().ReceiveAsync(Secret, 10, notJson, CancellationToken.None)).Status);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(Secret) || l.Contains(FakeBotApi.Token));
    }

    [Fact]
    public async Task A_stranger_gets_one_polite_line_and_nothing_about_the_configuration()
    {
        await PublishAsync(Config());

        var reply = await AskAsync(Stranger, "/rules");
        Assert.Equal(UpdateHandler.Stranger, reply.Text);
        Assert.Equal(200, await PostAsync(TelegramUpdates.Message(Stranger, "/rule kayani")));
        Assert.Single(app.Bot.Messages); // one line a minute at most, so a stranger cannot make the bot spam
        Assert.Equal(200, await PostAsync(TelegramUpdates.Press(Stranger, "/pause kayani", Stranger)));
        Assert.Equal(UpdateHandler.Stranger, app.Bot.CallbackAnswers.Single()["text"]!.GetValue<string>());
        Assert.True((await LiveAsync()).Rules[0].Enabled);
        Assert.DoesNotContain(app.Bot.Messages, m => m.Text.Contains("kayani") || m.Text.Contains("desk"));

        // An editor in some other group is pointed to where commands are taken; in the editors' chat they work.
        Assert.Equal(200, await PostAsync(TelegramUpdates.Message(Ayesha, "/rules", chat: -100999, chatType: "supergroup")));
        Assert.Contains("I take commands in a private chat with me", app.Bot.Messages[^1].Text);
        var before = app.Bot.Messages.Count;
        Assert.Equal(200, await PostAsync(TelegramUpdates.Message(Ayesha, "/rules@another_bot", chat: EditorsChat, chatType: "supergroup")));
        Assert.Equal(before, app.Bot.Messages.Count); // a command for another bot in the group
        Assert.Equal(200, await PostAsync(TelegramUpdates.Message(Ayesha, "/rules@syndication_test_bot", chat: EditorsChat, chatType: "supergroup")));
        Assert.Contains("<b>kayani</b>", app.Bot.Messages[^1].Text);
        Assert.Equal(EditorsChat.ToString(), app.Bot.Messages[^1].ChatId);
    }

    [Fact]
    public async Task A_crowd_of_strangers_gets_at_most_30_polite_lines_a_minute_so_it_cannot_spend_the_bots_sending_budget()
    {
        await PublishAsync(Config());

        // Before: 300 strangers got 300 replies, none of them paced with the alerts.
        for (var i = 0; i < 100; i++) Assert.Equal(200, await PostAsync(TelegramUpdates.Message(400_000_000 + i, "/start")));

        Assert.Equal(CommandLimits.StrangerRepliesPerMinute, app.Bot.Messages.Count);
        Assert.All(app.Bot.Messages, m => Assert.Equal(UpdateHandler.Stranger, m.Text));
        Assert.Contains("Alerts waiting", (await AskAsync(Ayesha, "/status")).Text); // editors are not held back
    }

    [Fact]
    public async Task Before_any_configuration_is_published_everyone_is_a_stranger_and_each_update_is_still_handled_once()
    {
        Assert.False(await app.Containers.Config.ExistsAsync());

        Assert.Equal(200, await PostAsync(TelegramUpdates.Message(Ayesha, "/rules"), id: 31));
        Assert.Equal(200, await PostAsync(TelegramUpdates.Message(Ayesha, "/rules"), id: 31));

        Assert.Equal(UpdateHandler.Stranger, Assert.Single(app.Bot.Messages).Text);
    }

    [Fact]
    public async Task An_invalid_live_configuration_is_logged_and_nobody_is_answered_until_it_is_fixed()
    {
        await app.Containers.Config.CreateIfNotExistsAsync();
        await app.Containers.Config.GetBlobClient("syndication.json").UploadAsync(BinaryData.FromString("{ \"feeds\": [ "), overwrite: true);

        Assert.Equal(200, await PostAsync(TelegramUpdates.Message(Ayesha, "/rules")));

        Assert.Empty(app.Bot.Messages);
        Assert.Contains(app.Logs.Lines, l => l.Contains("was not handled: the live configuration is invalid"));
        await PublishAsync(Config());
        Assert.Contains("<b>kayani</b>", (await AskAsync(Ayesha, "/rules")).Text);
    }

    [Fact]
    public async Task A_button_runs_its_command_for_the_editor_who_pressed_it()
    {
        await PublishAsync(Config());

        Assert.Equal(200, await PostAsync(TelegramUpdates.Press(Ayesha, "/pause kayani 1h", EditorsChat)));

        Assert.Null(app.Bot.CallbackAnswers.Single()["text"]);
        Assert.Contains("Done: kayani paused until", app.Bot.Messages.Single(m => m.ChatId == EditorsChat.ToString()).Text);
        Assert.NotNull((await LiveAsync()).Rules[0].PausedUntil);
        Assert.Equal("Ayesha", (await app.Services.GetRequiredService<ConfigHistory>().ListAsync(1, null, CancellationToken.None))[0].By);
    }

    [Fact]
    public async Task A_person_may_run_20_commands_a_minute_and_is_told_once_when_over()
    {
        await PublishAsync(Config());

        for (var i = 0; i < 23; i++) Assert.Equal(200, await PostAsync(TelegramUpdates.Message(Ayesha, "/status")));

        var replies = app.Bot.Messages.Where(m => m.ChatId == Ayesha.ToString()).ToList();
        Assert.Equal(21, replies.Count);
        Assert.Equal(20, replies.Count(m => m.Text.Contains("Alerts waiting")));
        Assert.Contains("more than 20 commands a minute", replies[^1].Text);
        Assert.Contains("Alerts waiting", (await AskAsync(Bilal, "/status")).Text); // others are not held back
    }

    [Fact]
    public async Task Terms_and_rules_are_bounded()
    {
        await PublishAsync(Config());

        Assert.Contains("A term may be at most 200 characters", (await AskAsync(Ayesha, "/add kayani " + new string('x', 201))).Text);
        // A regex is checked as in the configuration (NonBacktracking, so no pattern can hang a sweep).
        var regex = await AskAsync(Ayesha, "/add kayani /F-?16(s/");
        Assert.Contains("rules[0].anyOf[2]: invalid regular expression /F-?16(s/", regex.Text);
        // Regexes share the configuration's budget: an editor's /add over it is refused, naming the rule and by how much.
        var costly = string.Join(' ', Enumerable.Range(0, 90).Select(i => $"/\\b(IMF|IBRD|loan{i})\\b/i"));
        var overBudget = await AskAsync(Ayesha, "/add kayani " + costly);
        Assert.Contains("rules[0]: rule 'kayani' is over the configuration's budget for regular expressions: 10 of its regular expressions do not fit", overBudget.Text);
        Assert.Equal(2, (await LiveAsync()).Rules[0].AnyOf.Count);
        var manyTerms = string.Join(", ", Enumerable.Range(0, 997).Select(i => $"\"t{i}\""));
        await PublishAsync(Config().Replace("\"Haqqani network\"]", $"\"Haqqani network\", {manyTerms}]"));
        Assert.Contains("would have 1002 terms; a rule may have at most 1000", (await AskAsync(Ayesha, "/add kayani one two")).Text);
    }

    [Fact]
    public async Task Listen_takes_commands_by_long_polling_with_the_same_handling()
    {
        await PublishAsync(Config());
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(() => new Listener(app.Services.GetRequiredService<Syndication.Telegram.EditorBot>(), app.Containers,
            app.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
            app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Listener>>()) { WaitSeconds = 2 }.ListenAsync(null, stop.Token));

        var asked = Stopwatch.StartNew();
        app.Bot.QueueUpdate(TelegramUpdates.Message(Ayesha, "/add kayani ISI"));
        var reply = await WaitForAsync(() => app.Bot.Messages.FirstOrDefault(m => m.ChatId == Ayesha.ToString()));
        output.WriteLine($"listen: answered in {asked.ElapsedMilliseconds} ms");
        Assert.Contains("Done: kayani: anyOf + ISI", reply.Text);
        app.Bot.QueueUpdate(TelegramUpdates.Message(Stranger, "/rules"));
        await WaitForAsync(() => app.Bot.Messages.FirstOrDefault(m => m.ChatId == Stranger.ToString()));

        stop.Cancel();
        Assert.Equal(2, await listening);
        Assert.Contains("ISI", (await LiveAsync()).Rules[0].AnyOf);
    }

    [Fact]
    public async Task Listen_answers_chats_at_once_each_in_order_and_a_slow_page_is_cut_short()
    {
        await PublishAsync(Config());
        var slow = app.Feeds.Handle("slow-page", async context => await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted));
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(() => new Listener(app.Services.GetRequiredService<Syndication.Telegram.EditorBot>(), app.Containers,
            app.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
            app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Listener>>()) { WaitSeconds = 1 }.ListenAsync(null, stop.Token));

        var asked = Stopwatch.StartNew();
        app.Bot.QueueUpdate(TelegramUpdates.Message(Ayesha, "/preview " + slow));
        app.Bot.QueueUpdate(TelegramUpdates.Message(Ayesha, "/status"));
        app.Bot.QueueUpdate(TelegramUpdates.Message(Bilal, "/rules"));

        // Before: Bilal's /rules waited behind Ayesha's /preview of a slow page, 24 to 29 s.
        var rules = await WaitForAsync(() => app.Bot.Messages.FirstOrDefault(m => m.ChatId == Bilal.ToString()));
        var rulesAfter = asked.ElapsedMilliseconds;
        Assert.Contains("<b>kayani</b>", rules.Text);
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == Ayesha.ToString());

        // Ayesha's answers come in the order she asked, the page read cut short at the feeds' time limit (5 s here).
        await WaitForAsync(() => app.Bot.Messages.Count(m => m.ChatId == Ayesha.ToString()) == 2 ? "both" : null);
        var ayesha = app.Bot.Messages.Where(m => m.ChatId == Ayesha.ToString()).ToList();
        Assert.Contains("did not answer within 5 s", ayesha[0].Text);
        Assert.Contains("Alerts waiting", ayesha[1].Text);
        output.WriteLine($"listen: /rules answered in {rulesAfter} ms beside a slow /preview, answered in {asked.ElapsedMilliseconds} ms");
        Assert.InRange(rulesAfter, 0, 4000);

        stop.Cancel();
        Assert.Equal(3, await listening);
    }

    [Fact]
    public async Task Listen_says_what_to_do_when_a_webhook_holds_the_updates()
    {
        var set = await CliProcess.RunAsync(app, [], "webhook", "set", "https://syndication.example/api/telegram");
        Assert.Equal(0, set.ExitCode);
        Assert.Equal(Secret, app.Bot.Webhook!["secret_token"]!.GetValue<string>());
        Assert.Equal(["message", "callback_query"], app.Bot.Webhook["allowed_updates"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Contains("Webhook: https://syndication.example/api/telegram", (await CliProcess.RunAsync(app, [], "webhook", "info")).Output);
        // The menu button opens the editors' page, served by the same app beside the webhook.
        Assert.Equal(("web_app", "Editors' page", "https://syndication.example/api/app/"), (app.Bot.MenuButton!["type"]!.GetValue<string>(),
            app.Bot.MenuButton["text"]!.GetValue<string>(), app.Bot.MenuButton["web_app"]!["url"]!.GetValue<string>()));
        Assert.Contains("The bot's menu button (“Editors' page”) opens https://syndication.example/api/app/.", set.Output);

        var listen = await CliProcess.RunAsync(app, [], "listen", "--for", "20s");
        Assert.NotEqual(0, listen.ExitCode);
        Assert.Contains("Run 'syndication webhook delete' to listen here instead", listen.Errors);

        Assert.Equal(0, (await CliProcess.RunAsync(app, [], "webhook", "delete")).ExitCode);
        Assert.Null(app.Bot.Webhook);
        var plain = await CliProcess.RunAsync(app, [], "webhook", "set", "http://syndication.example/api/telegram");
        Assert.Contains("is not an absolute https:// address", plain.Errors);
        Assert.DoesNotContain(FakeBotApi.Token, set.Output + set.Errors + listen.Output + listen.Errors + plain.Errors);
        Assert.DoesNotContain(Secret, set.Output + set.Errors);
    }

    [Fact]
    public async Task Commands_are_answered_within_2_seconds_at_the_webhook()
    {
        await PublishAsync(Config());
        var times = new List<long>();
        foreach (var command in new[] { "/status", "/rules", "/rule kayani", "/feeds", "/add kayani ISI", "/history", "/undo", "/pause kayani 1h", "/resume kayani" })
        {
            var clock = Stopwatch.StartNew();
            await AskAsync(Ayesha, command);
            times.Add(clock.ElapsedMilliseconds);
        }
        output.WriteLine($"webhook to reply at the fake Bot API, ms: {string.Join(", ", times)} (max {times.Max()})");
        Assert.All(times, t => Assert.InRange(t, 0, 2000));

        // Neither the token nor the webhook secret is in a reply, a log line or the history.
        var history = await app.Services.GetRequiredService<ConfigHistory>().ListAsync(50, null, CancellationToken.None);
        var everything = string.Join("\n", app.Bot.Messages.Select(m => m.Body.ToJsonString()).Concat(app.Logs.Lines).Concat(history.Select(h => JsonSerializer.Serialize(h))));
        Assert.DoesNotContain(FakeBotApi.Token, everything);
        Assert.DoesNotContain(FakeBotApi.Token.Split(':')[1], everything);
        Assert.DoesNotContain(Secret, everything);
    }

    [Fact]
    public async Task An_admin_adds_a_feed_found_on_a_page_after_reading_it_once()
    {
        await PublishAsync(Config());
        var feed = app.Feeds.Serve("site/feed/", Rss.WordPress("Dawn - Home",
            [.. Enumerable.Range(1, 5).Select(i => new Item($"Dawn story {i}", $"https://dawn.example/{i}", Description: "<p>Text.</p>", Published: app.Clock.GetUtcNow().AddHours(-i)))]));
        var page = app.Feeds.Serve("site/", $"<!doctype html><html><head><title>Dawn</title><link rel=\"alternate\" type=\"application/rss+xml\" href=\"{feed}\"></head><body>Home</body></html>", "text/html; charset=utf-8");

        Assert.Contains("Only an admin may", (await AskAsync(Ayesha, $"/addfeed {page}")).Text);
        var added = await AskAsync(Bilal, $"/addfeed {page} dawn-home");

        Assert.Contains($"Done: feed dawn-home added: {feed}", added.Text);
        Assert.Contains("<b>Dawn - Home</b>, 5 items. Newest:\n• Dawn story 1", added.Text);
        // Before: "No rule looks at it unless it covers every feed …", though this rule reads every feed.
        Assert.Contains("Rule kayani reads it, as it reads every feed. Its items now are stored without alerts (backfill 0); the ones it publishes from now on alert.", added.Text);
        Assert.Contains("• Dawn story 3", added.Text);
        Assert.DoesNotContain("Dawn story 4", added.Text);
        Assert.Equal(feed, (await LiveAsync()).Feeds.Single(f => f.Id == "dawn-home").Url);
        Assert.Contains("is already watched as feed 'dawn-home'", (await AskAsync(Bilal, $"/addfeed {feed}")).Text);
        var broken = app.Feeds.Serve("broken/", "<html><body>no feed here</body></html>", "text/html");
        Assert.Contains("could not be read as a feed: the URL returned an HTML page", (await AskAsync(Bilal, $"/addfeed {broken}")).Text);
    }

    [Fact]
    public async Task Preview_shows_which_rules_an_article_matches_why_and_each_channels_message()
    {
        await PublishAsync(Config());
        var html = File.ReadAllText(Repo.TestData("pages/pakistan-today-kayani.html"))
            .Replace("<meta charset=\"UTF-8\">", "<meta charset=\"UTF-8\"><meta property=\"og:site_name\" content=\"Pakistan Today\"><meta name=\"author\" content=\"By Staff Reporter\">");
        var page = app.Feeds.Serve("2011/05/14/kayani/", html, "text/html; charset=utf-8");

        var reply = await AskAsync(Ayesha, $"/preview {page}");

        Assert.Contains("<b>Kayani balks at US demands to cooperate: NYT", reply.Text);
        // The site by its name and the byline as a name; before, "127.0.0.1 · By Staff Reporter".
        Assert.Contains("</b>\nPakistan Today · Staff Reporter", reply.Text);
        Assert.Contains("✓ <b>kayani</b>: hit 'Kayani' in title", reply.Text);
        Assert.Contains("<b>desk</b> (@security_desk) would get:\n<blockquote><b>Kayani balks at US demands", reply.Text);
        Assert.Contains("#kayani", reply.Text);
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == "@security_desk"); // a preview sends nothing to the channel
        Assert.False(await app.Containers.Articles.ExistsAsync()); // and stores nothing
    }

    [Fact]
    public async Task Test_tries_a_rule_against_the_newest_stored_articles()
    {
        var feed = app.Feeds.Serve("pt/", Rss.WordPress("Pakistan Today",
            [.. Enumerable.Range(1, 6).Select(i => new Item(i % 2 == 0 ? $"Kayani story {i}" : $"Budget story {i}", $"https://pt.example/{i}", Description: "<p>Text.</p>", Published: app.Clock.GetUtcNow().AddHours(-i)))]));
        var config = Config().Replace("http://127.0.0.1:9/feed", feed.ToString()).Replace(", { \"id\": \"dawn\", \"url\": \"http://127.0.0.1:9/dawn\" }", "");
        await app.SweepAsync(app.WriteConfig(config));
        await PublishAsync(config.Replace("\"Haqqani network\"]", "\"Haqqani network\", \"Budget\"]"));
        await AskAsync(Ayesha, "/pause kayani");

        var reply = await AskAsync(Ayesha, "/test kayani");

        Assert.Contains("<b>kayani</b> matches 6 of the 6 newest stored articles, for example:", reply.Text);
        Assert.Contains("<a href=\"https://pt.example/1\">Budget story 1</a> (pakistan-today", reply.Text);
    }

    [Fact]
    public async Task Dead_letters_are_listed_and_retry_sends_them_once_when_the_channel_is_fixed()
    {
        var feed = app.Feeds.Serve("pt/", Rss.WordPress("Pakistan Today",
            [.. Enumerable.Range(1, 2).Select(i => new Item($"Kayani story {i}", $"https://pt.example/{i}", Description: "<p>Text.</p>", Published: app.Clock.GetUtcNow().AddHours(-i)))]));
        var config = Config().Replace("http://127.0.0.1:9/feed", feed.ToString()).Replace(", { \"id\": \"dawn\", \"url\": \"http://127.0.0.1:9/dawn\" }", "")
            .Replace("\"channels\": [\"desk\"]", "\"channels\": [\"desk\"], \"feeds\": [\"pakistan-today\"]").Replace("{ \"id\": \"pakistan-today\", \"url\"", "{ \"id\": \"pakistan-today\", \"backfill\": 5, \"url\"");
        await PublishAsync(config);
        app.Bot.RejectChat("@security_desk", 400, "Bad Request: chat not found");
        await app.SweepAsync(app.WriteConfig(config));

        var listed = await AskAsync(Ayesha, "/deadletters");
        Assert.Contains("<b>2 dead letters</b>", listed.Text);
        Assert.Contains("<b>desk</b>: 2", listed.Text);
        Assert.Contains("chat not found", listed.Text);
        Assert.Equal("/retry desk", listed.Body["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>());

        app.Bot.AcceptChat("@security_desk");
        Assert.Contains("Queued 2 alerts again for desk", (await AskAsync(Ayesha, "/retry desk")).Text);
        await app.SweepAsync(app.WriteConfig(config));
        Assert.Equal(2, app.Bot.Messages.Count(m => m.ChatId == "@security_desk"));
        Assert.Contains("No dead letters for desk", (await AskAsync(Ayesha, "/retry desk")).Text);
        await app.SweepAsync(app.WriteConfig(config));
        Assert.Equal(2, app.Bot.Messages.Count(m => m.ChatId == "@security_desk"));
    }

    [Fact]
    public async Task Editors_mark_alerts_not_relevant_and_the_rule_shows_how_noisy_it_is()
    {
        var feed = app.Feeds.Serve("pt/", Rss.WordPress("Pakistan Today",
            [.. Enumerable.Range(1, 2).Select(i => new Item($"Kayani story {i}", $"https://pt.example/{i}", Description: "<p>Text.</p>", Published: app.Clock.GetUtcNow().AddHours(-i)))]));
        var config = Config().Replace("http://127.0.0.1:9/feed", feed.ToString()).Replace(", { \"id\": \"dawn\", \"url\": \"http://127.0.0.1:9/dawn\" }", "")
            .Replace("{ \"id\": \"pakistan-today\", \"url\"", "{ \"id\": \"pakistan-today\", \"backfill\": 5, \"url\"")
            .Replace("{ \"id\": \"ops\", \"chat\": \"@ops_desk\" }", "{ \"id\": \"ops\", \"chat\": \"@ops_desk\", \"notRelevantButton\": false }")
            .Replace("\"channels\": [\"desk\"]", "\"channels\": [\"desk\", \"ops\"]");
        await PublishAsync(config);
        await app.SweepAsync(app.WriteConfig(config));
        var alerts = app.Bot.Messages.Where(m => m.ChatId == "@security_desk").ToList();
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal("/notrelevant", a.Body["reply_markup"]!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>()));
        Assert.All(app.Bot.Messages.Where(m => m.ChatId == "@ops_desk"), a => Assert.Null(a.Body["reply_markup"]));

        JsonObject PressOn(SentMessage alert, long user)
        {
            var press = TelegramUpdates.Press(user, "/notrelevant", EditorsChat, alert.MessageId);
            press["callback_query"]!["message"]!["chat"] = new JsonObject { ["id"] = -1001234, ["type"] = "channel", ["username"] = "security_desk" };
            return press;
        }
        Assert.Equal(200, await PostAsync(PressOn(alerts[0], Ayesha)));
        Assert.Equal(200, await PostAsync(PressOn(alerts[0], Bilal)));
        Assert.Equal(200, await PostAsync(PressOn(alerts[1], Stranger)));
        var answers = app.Bot.CallbackAnswers.Select(a => a["text"]!.GetValue<string>()).ToList();
        Assert.Equal("Marked not relevant for kayani. /rule kayani shows its figures.", answers[0]);
        Assert.Equal("This alert is marked already.", answers[1]);
        Assert.Equal("Thank you. Only the editors' marks count here.", answers[2]);

        var rule = await AskAsync(Ayesha, "/rule kayani");
        Assert.Contains("Sent: 4 in 7 days, 4 in 30 days", rule.Text); // 2 stories to 2 channels
        Assert.Contains("Not relevant: 1 in 7 days (25%), 1 in 30 days (25%)", rule.Text);
        Assert.Contains("• Kayani story 1 (desk,", rule.Text);
    }

    async Task<T> WaitForAsync<T>(Func<T?> find) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (find() is { } found) return found;
            await Task.Delay(20);
        }
        throw new TimeoutException("nothing arrived within 15 s");
    }
}
