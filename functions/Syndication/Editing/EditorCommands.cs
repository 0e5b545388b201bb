using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Telegram;
using Syndication.Watches;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Editing;

/// <summary>
/// The commands editors run from Telegram. Each answers in one message; each change goes through <see cref="LiveConfig"/>,
/// so it is validated as <c>check</c> validates, written only over the version it read, and recorded in the history.
/// </summary>
public sealed partial class EditorCommands(LiveConfig live, ConfigHistory history, StatusReader status, TimeProvider time,
    FeedFetcher fetcher, FullTextExtractor fullText, ArticleStore articles, Outbox outbox, WorkQueues queues, RuleFeedback feedback, InviteStore invites, StoryReader stories, OpmlImporter importer,
    ILogger<EditorCommands> logger)
{
    /// <summary>Telegram's limit for one message, in characters.</summary>
    public const int MaxMessage = 4096;

    /// <summary>A command as asked: who asked, what they typed, and the live configuration they asked it of.</summary>
    sealed record Asked(EditorDefinition Editor, CommandText Command, SyndicationConfig Config)
    {
        /// <summary>The file sent with the command (a document whose caption is the command), read when asked for; null when none was.</summary>
        public Func<CancellationToken, Task<byte[]>>? Attachment { get; init; }
    }

    sealed record Command(string Usage, string Does, EditorRole Role, Func<Asked, CancellationToken, Task<Reply>> Run);

    IReadOnlyDictionary<string, Command>? commands;

    IReadOnlyDictionary<string, Command> Commands => commands ??= new Dictionary<string, Command>(StringComparer.Ordinal)
    {
        ["help"] = new("/help", "what you can do here", EditorRole.Editor, (a, _) => Task.FromResult(Help(a.Editor))),
        ["start"] = new("/start", "the same as /help", EditorRole.Editor, (a, _) => Task.FromResult(Help(a.Editor))),
        ["status"] = new("/status", "the last sweep, failing feeds and channels, alerts waiting, dead letters", EditorRole.Editor, (a, ct) => StatusAsync(a.Config, ct)),
        ["rules"] = new("/rules", "every rule, with a button for each", EditorRole.Editor, (a, _) => Task.FromResult(Rules(a.Config))),
        ["rule"] = new("/rule ID", "one rule: its terms, feeds and channels", EditorRole.Editor, (a, ct) => RuleAsync(a.Command, a.Config, ct)),
        ["new"] = new("/new ID CHANNEL term…", "a new rule sending articles with any of the terms to CHANNEL", EditorRole.Editor, (a, ct) => NewRuleAsync(a.Editor, a.Command, ct)),
        ["add"] = new("/add ID term…", "more terms the rule looks for (anyOf)", EditorRole.Editor, (a, ct) => TermsAsync(a.Editor, a.Command, "anyOf", ct)),
        ["exclude"] = new("/exclude ID term…", "terms that keep an article out (noneOf)", EditorRole.Editor, (a, ct) => TermsAsync(a.Editor, a.Command, "noneOf", ct)),
        ["remove"] = new("/remove ID term…", "take terms out of the rule", EditorRole.Editor, (a, ct) => RemoveTermsAsync(a.Editor, a.Command, ct)),
        ["pause"] = new("/pause ID [30m|6h|2d|1w]", "stop the rule, for a while or until /resume", EditorRole.Editor, (a, ct) => PauseAsync(a.Editor, a.Command, ct)),
        ["resume"] = new("/resume ID", "start a paused rule again", EditorRole.Editor, (a, ct) => ResumeAsync(a.Editor, a.Command, ct)),
        ["feeds"] = new("/feeds", "every feed and how it is doing", EditorRole.Editor, (a, ct) => FeedsAsync(a.Config, ct)),
        ["pausefeed"] = new("/pausefeed ID", "stop fetching a feed", EditorRole.Editor, (a, ct) => FeedEnabledAsync(a.Editor, a.Command, false, ct)),
        ["resumefeed"] = new("/resumefeed ID", "fetch a paused feed again", EditorRole.Editor, (a, ct) => FeedEnabledAsync(a.Editor, a.Command, true, ct)),
        ["removefeed"] = new("/removefeed ID", "take a feed out of the configuration", EditorRole.Admin, (a, ct) => RemoveFeedAsync(a.Editor, a.Command, ct)),
        ["addfeed"] = new("/addfeed URL [ID]", "watch a feed (or the feed a page advertises), after reading it once", EditorRole.Admin, (a, ct) => AddFeedAsync(a.Editor, a.Command, a.Config, ct)),
        ["preview"] = new("/preview URL", "which rules an article matches, why, and the message each channel would get", EditorRole.Editor, (a, ct) => PreviewAsync(a.Command, a.Config, ct)),
        ["test"] = new("/test ID", "the rule against the last 200 stored articles: how many it would have sent", EditorRole.Editor, (a, ct) => TestAsync(a.Command, a.Config, ct)),
        ["story"] = new("/story LINK", "a story's outlets, when each carried it, and what each channel got: its alert and edits", EditorRole.Editor, (a, ct) => StoryAsync(a.Command, a.Config, ct)),
        ["export"] = new("/export", "every feed as an OPML file, for any feed reader", EditorRole.Editor, (a, ct) => ExportAsync(a.Config, ct)),
        ["import"] = new("/import [CATEGORY]", "the feeds of an OPML file sent with /import as its caption, as one change", EditorRole.Admin, (a, ct) => ImportAsync(a, ct)),
        ["deadletters"] = new("/deadletters", "alerts given up on, and why", EditorRole.Editor, (_, ct) => DeadLettersAsync(ct)),
        ["retry"] = new("/retry [CHANNEL]", "send a fixed channel's dead letters again", EditorRole.Editor, (a, ct) => RetryAsync(a.Editor, a.Command, a.Config, ct)),
        ["invite"] = new("/invite", "a one-time code that lets one person follow their own watches, when subscriptions are by invitation", EditorRole.Editor, (a, ct) => InviteAsync(a.Editor, a.Config, ct)),
        ["history"] = new("/history", "who changed what, and when", EditorRole.Editor, (_, ct) => HistoryAsync(ct)),
        ["undo"] = new("/undo", "revert the last change, if your role may make it (someone else's is named first; the undo is recorded too)", EditorRole.Editor, (a, ct) => UndoAsync(a.Editor, a.Command, ct)),
    };

    /// <summary>
    /// Runs <paramref name="text"/> for <paramref name="editor"/> against <paramref name="config"/>, the live configuration
    /// the update was checked against; null when the text is not a command at all. Changes read it again, with its version.
    /// </summary>
    /// <param name="attachment">Reads the file sent with the command, when one was (a document with the command as its caption).</param>
    public async Task<Reply?> RunAsync(EditorDefinition editor, string text, SyndicationConfig config, CancellationToken cancellationToken,
        Func<CancellationToken, Task<byte[]>>? attachment = null)
    {
        if (CommandText.Parse(text) is not { } command) return null;
        if (!Commands.TryGetValue(command.Name, out var known))
        {
            var hint = ConfigParser.Suggest(command.Name, Commands.Keys);
            return new Reply($"There is no /{Html(command.Name)}{(hint.Length == 0 ? "" : Html(hint.Replace("mean '", "mean /").Replace("'?", "?")))}. /help lists the commands.");
        }
        if (known.Role == EditorRole.Admin && editor.Role != EditorRole.Admin)
            return new Reply($"Only an admin may {Html(known.Does)} ({Html(known.Usage)}).");
        if (command.Arguments.FirstOrDefault(a => a.Length > CommandText.MaxTermLength) is { } tooLong)
            return new Reply($"A term may be at most {CommandText.MaxTermLength} characters; “{Html(tooLong[..40])}…” has {tooLong.Length}.");
        return Limit(await known.Run(new Asked(editor, command, config) { Attachment = attachment }, cancellationToken));
    }

    Reply Help(EditorDefinition editor)
    {
        var lines = new StringBuilder($"Hello {Html(editor.Name)}. You are {(editor.Role == EditorRole.Admin ? "an admin" : "an editor")}; you can:\n");
        foreach (var command in Commands.Values.Where(c => c.Role == EditorRole.Editor || editor.Role == EditorRole.Admin).DistinctBy(c => c.Usage).Where(c => c.Usage != "/start"))
            lines.Append(CultureInfo.InvariantCulture, $"\n<code>{Html(command.Usage)}</code> {Html(command.Does)}");
        lines.Append("\n\nA phrase goes in quotes: <code>/add kayani \"army chief\"</code>. A <code>/regex/</code> works as in the configuration file.");
        return new Reply(lines.ToString());
    }

    async Task<Reply> StatusAsync(SyndicationConfig config, CancellationToken cancellationToken)
    {
        var report = await status.ReadAsync(config, cancellationToken);
        var lastSweep = report.Feeds.Max(f => f.LastSuccessAt > f.LastErrorAt || f.LastErrorAt is null ? f.LastSuccessAt : f.LastErrorAt);
        var text = new StringBuilder("<b>Status</b>\n");
        text.Append(CultureInfo.InvariantCulture, $"Last feed read: {When(lastSweep)}\n");
        var failing = report.Feeds.Where(f => f.ConsecutiveFailures > 0 || f.Broken).ToList();
        text.Append(CultureInfo.InvariantCulture, $"Feeds: {report.Feeds.Count}, {(failing.Count == 0 ? "all reading" : $"{failing.Count} failing")}\n");
        foreach (var feed in failing.Take(10))
            text.Append(CultureInfo.InvariantCulture, $"  • {Html(feed.FeedId)}{(feed.Broken ? " (broken)" : "")}: {Html(Cut(feed.LastError ?? "", 120))}, {feed.ConsecutiveFailures} in a row\n");
        var sick = report.Channels.Where(c => c.Failing is not null).ToList();
        text.Append(CultureInfo.InvariantCulture, $"Channels: {report.Channels.Count}, {(sick.Count == 0 ? "all receiving" : $"{sick.Count} failing")}\n");
        foreach (var channel in sick.Take(10))
            text.Append(CultureInfo.InvariantCulture, $"  • {Html(channel.ChannelId)} since {When(channel.Failing!.Since)}: {Html(Cut(channel.Failing.Reason, 120))}\n");
        text.Append(CultureInfo.InvariantCulture, $"Alerts waiting: {report.Channels.Sum(c => c.Pending)}\n");
        text.Append(CultureInfo.InvariantCulture, $"Dead letters: {report.Channels.Sum(c => c.DeadLetters)}");
        foreach (var channel in report.Channels.Where(c => c.DeadLetters > 0).Take(10))
            text.Append(CultureInfo.InvariantCulture, $"\n  • {Html(channel.ChannelId)}: {channel.DeadLetters}");
        if (report.Subscribers is { } people) text.Append('\n').Append(Html(people.Line));
        return new Reply(text.ToString());
    }

    /// <summary>A story named by the link of any outlet's report, or an article's id: its outlets and what each channel got.</summary>
    async Task<Reply> StoryAsync(CommandText command, SyndicationConfig config, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1 || StoryReports.Key(command.Arguments[0]) is not var (canonical, article)) return Usage("story");
        return await stories.ReadAsync(config, canonical, article, cancellationToken) is { } report
            ? new Reply(StoryReports.Render(report))
            : new Reply($"No story kept names {Html(Cut(command.Arguments[0], 200))}: a channel's stories are kept 48 hours, and outlets only where a channel has <code>growing</code> or a rule <code>minOutlets</code>.");
    }

    /// <summary>Every feed as OPML 2.0, with its site where a read found one, sent as a file.</summary>
    async Task<Reply> ExportAsync(SyndicationConfig config, CancellationToken cancellationToken) =>
        new($"{Counted.Of(config.Feeds.Count, "feed")} as OPML 2.0, with this bot's settings; any feed reader imports it, and so does /import.")
        {
            Document = new ReplyDocument("syndication-feeds.opml",
                System.Text.Encoding.UTF8.GetBytes(Opml.Write(config, time.GetUtcNow(), await status.SitesAsync(config, cancellationToken)))),
        };

    /// <summary>The feeds of the OPML file sent with the command, as one change (<see cref="OpmlImporter"/>).</summary>
    async Task<Reply> ImportAsync(Asked asked, CancellationToken cancellationToken)
    {
        if (asked.Attachment is not { } read) return new Reply("Send the .opml file itself, with <code>/import</code> as its caption (and a category after it if you like).");
        var category = asked.Command.Arguments.Count > 0 ? string.Join(' ', asked.Command.Arguments) : null;
        ImportResult result;
        try
        {
            result = await importer.ImportAsync(await read(cancellationToken), category, dryRun: false, keepUnreachable: false, asked.Editor.User, asked.Editor.Name, Echo(asked.Command), cancellationToken);
        }
        catch (OpmlException ex)
        {
            return new Reply($"Not imported: {Html(ex.Message)}. Nothing changed.");
        }
        catch (EditorBotException ex)
        {
            return new Reply($"Not imported: the file could not be read from Telegram ({Html(ex.Message)}). Nothing changed.");
        }
        var notes = string.Concat(result.Plan.Problems.Take(10).Select(p => $"\n• {Html(p.ToString())}"));
        if (result.Outcome is null) return new Reply($"Nothing changed: {Html(result.Plan.Summary)}.{notes}");
        var answer = Answer(result.Outcome);
        return result.Outcome is ChangeOutcome.Done ? answer with { Html = answer.Html + notes } : answer;
    }

    /// <summary>A one-time code for one person, when the configuration takes subscribers by invitation.</summary>
    async Task<Reply> InviteAsync(EditorDefinition editor, SyndicationConfig config, CancellationToken cancellationToken)
    {
        if (config.Subscriptions != SubscriptionMode.Invite)
            return new Reply(config.Subscriptions == SubscriptionMode.Open
                ? "Anyone may follow their own watches here (<code>\"subscriptions\": \"open\"</code>): no invitation is needed."
                : "People cannot follow their own watches here (<code>\"subscriptions\": \"off\"</code>). Set it to <code>\"invite\"</code> to invite them one by one.");
        var (code, invite) = await invites.CreateAsync(editor.User, cancellationToken);
        logger.LogInformation("{Editor} made an invitation, valid until {Expires}", editor.Name, invite.ExpiresAt);
        return new Reply($"One-time invitation: <code>{code}</code>\nGive it to one person. They send <code>/start {code}</code> to me in a private chat, and may then follow their own watches. "
            + $"It works once, until {When(invite.ExpiresAt)}.");
    }

    async Task<Reply> HistoryAsync(CancellationToken cancellationToken)
    {
        var entries = await history.ListAsync(15, (await live.ReadAsync(cancellationToken))?.Json, cancellationToken);
        if (entries.Count == 0) return new Reply("No change has been recorded yet.");
        var text = new StringBuilder("<b>Latest changes</b>, newest first\n");
        foreach (var entry in entries)
            text.Append(CultureInfo.InvariantCulture, $"\n{entry.At.UtcDateTime:dd MMM HH:mm} <b>{Html(entry.By)}</b> <code>{Html(Cut(entry.Command, 80))}</code>: {Html(Cut(entry.Summary, 160))}");
        return new Reply(text.ToString());
    }

    async Task<Reply> UndoAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken) =>
        Answer(await live.UndoAsync(editor, command.Arguments.FirstOrDefault(), RoleOf, cancellationToken));

    /// <summary>The role a recorded command needs: its own for a Telegram command; an admin's for a push of the whole file, or anything unknown.</summary>
    /// <summary>How the editors' page records a rule it changed; an editor's change, as <c>/add</c> and <c>/exclude</c> are.</summary>
    public const string PageRuleCommand = "page: rule ";

    EditorRole RoleOf(string recorded) =>
        recorded.StartsWith(PageRuleCommand, StringComparison.Ordinal) ? EditorRole.Editor
        : CommandText.Parse(recorded) is { } command && Commands.TryGetValue(command.Name, out var known) ? known.Role : EditorRole.Admin;

    async Task<Reply> ChangeAsync(EditorDefinition editor, CommandText command, Func<JsonObject, SyndicationConfig, string> change, CancellationToken cancellationToken) =>
        Answer(await live.ChangeAsync(editor.User, editor.Name, Echo(command), change, cancellationToken));

    static Reply Answer(ChangeOutcome outcome) => outcome switch
    {
        ChangeOutcome.Done done => new Reply($"Done: {Html(done.Message)}. /undo reverts it.", [[new ReplyButton("Undo", "/undo " + done.Entry.Id)]]),
        ChangeOutcome.Confirm confirm => new Reply(Html(confirm.Message), [[new ReplyButton("Undo it", confirm.Command)]]),
        _ => new Reply(Html(outcome.Message)),
    };

    /// <summary>The command as recorded in the history: its name and arguments, phrases quoted again.</summary>
    static string Echo(CommandText command) =>
        "/" + command.Name + string.Concat(command.Arguments.Select(a => " " + (a.Contains(' ') ? $"\"{a}\"" : a)));

    static string NoRule(string id, SyndicationConfig config) => ConfigEdits.NoRule(id, config);

    Reply Usage(string name) => new($"Write it as <code>{Html(Commands[name].Usage)}</code>: {Html(Commands[name].Does)}.");

    static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("dd MMM HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";

    static string Cut(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    static string Html(string text) => HtmlText.Escape(text);

    /// <summary>Within Telegram's limit (counted, as Telegram counts it, in text without tags): cut with its tags kept balanced, saying so.</summary>
    static Reply Limit(Reply reply) =>
        HtmlText.PlainLength(reply.Html) <= MaxMessage ? reply : reply with { Html = HtmlText.Truncate(reply.Html, MaxMessage - 30, "… (cut at Telegram's limit)") };
}
