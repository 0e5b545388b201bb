using System.Globalization;
using System.Text;
using Syndication.Config;
using Syndication.Telegram;

namespace Syndication.Editing;

/// <summary>The commands that read and change rules: their terms and their pauses.</summary>
public sealed partial class EditorCommands
{
    Reply Rules(SyndicationConfig config)
    {
        var now = time.GetUtcNow();
        var text = new StringBuilder($"<b>{config.Rules.Count} rules</b>\n");
        foreach (var rule in config.Rules)
            text.Append(CultureInfo.InvariantCulture, $"\n<b>{Html(rule.Id)}</b> → {Html(string.Join(", ", rule.Channels))}: {rule.AnyOf.Count + rule.AllOf.Count} terms{Paused(rule, now)}");
        var buttons = config.Rules.Take(24).Select(r => new ReplyButton(r.Id, $"/rule {r.Id}")).Chunk(3).Select(row => (IReadOnlyList<ReplyButton>)row).ToList();
        return new Reply(text.ToString(), buttons);
    }

    async Task<Reply> RuleAsync(CommandText command, SyndicationConfig config, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1) return Usage("rule");
        var rule = config.FindRule(command.Arguments[0]);
        if (rule is null) return new Reply(Html(NoRule(command.Arguments[0], config)));
        var text = new StringBuilder($"<b>{Html(rule.Id)}</b>{Paused(rule, time.GetUtcNow())}\n");
        text.Append(CultureInfo.InvariantCulture, $"To: {Html(string.Join(", ", rule.Channels))}\n");
        text.Append(CultureInfo.InvariantCulture, $"Feeds: {(rule.Feeds is null ? "all" : Html(string.Join(", ", rule.Feeds)))}\n");
        if (rule.AnyOf.Count > 0) text.Append(CultureInfo.InvariantCulture, $"Any of: {Terms(rule.AnyOf)}\n");
        if (rule.AllOf.Count > 0) text.Append(CultureInfo.InvariantCulture, $"All of: {Terms(rule.AllOf)}\n");
        if (rule.NoneOf.Count > 0) text.Append(CultureInfo.InvariantCulture, $"None of: {Terms(rule.NoneOf)}\n");
        if (rule.CaseSensitive) text.Append("Case sensitive\n");
        if (rule.Urgent) text.Append("Urgent: alerts at once even where digests are collected\n");
        var figures = await feedback.FiguresAsync(rule, cancellationToken);
        text.Append(CultureInfo.InvariantCulture, $"\nSent: {figures.Sent7} in 7 days, {figures.Sent30} in 30 days\n");
        text.Append(CultureInfo.InvariantCulture, $"Not relevant: {figures.Marked7} in 7 days{Share(figures.Marked7, figures.Sent7)}, {figures.Marked30} in 30 days{Share(figures.Marked30, figures.Sent30)}\n");
        if (figures.Latest.Count > 0) text.Append("Latest alerts:\n");
        foreach (var (delivery, at) in figures.Latest)
        {
            var article = await articles.GetAsync(delivery[(delivery.IndexOf('/') + 1)..], cancellationToken);
            text.Append(CultureInfo.InvariantCulture, $"• {Html(Cut(article?.Title ?? delivery, 100))} ({Html(delivery[..delivery.IndexOf('/')])}, {When(at)})\n");
        }
        var paused = !rule.Enabled || rule.PausedUntil > time.GetUtcNow();
        IReadOnlyList<ReplyButton> row = paused
            ? [new("Resume", $"/resume {rule.Id}")]
            : [new("Pause 1h", $"/pause {rule.Id} 1h"), new("Pause 1d", $"/pause {rule.Id} 1d"), new("Pause", $"/pause {rule.Id}")];
        return new Reply(text.ToString().TrimEnd(), [row]);
    }

    Task<Reply> NewRuleAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count < 3) return Task.FromResult(Usage("new"));
        var (id, channel, terms) = (command.Arguments[0], command.Arguments[1], command.Arguments.Skip(2).ToList());
        return ChangeAsync(editor, command, (root, config) => ConfigEdits.NewRule(root, config, id, channel, terms), cancellationToken);
    }

    Task<Reply> TermsAsync(EditorDefinition editor, CommandText command, string list, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count < 2) return Task.FromResult(Usage(command.Name));
        var (id, terms) = (command.Arguments[0], command.Arguments.Skip(1).ToList());
        return ChangeAsync(editor, command, (root, config) => ConfigEdits.AddTerms(root, config, id, list, terms), cancellationToken);
    }

    Task<Reply> RemoveTermsAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count < 2) return Task.FromResult(Usage("remove"));
        var (id, terms) = (command.Arguments[0], command.Arguments.Skip(1).ToList());
        return ChangeAsync(editor, command, (root, config) => ConfigEdits.RemoveTerms(root, config, id, terms), cancellationToken);
    }

    Task<Reply> PauseAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count is < 1 or > 2) return Task.FromResult(Usage("pause"));
        var id = command.Arguments[0];
        TimeSpan? duration = null;
        if (command.Arguments.Count == 2 && (duration = CommandText.Duration(command.Arguments[1])) is null)
            return Task.FromResult(new Reply($"“{Html(command.Arguments[1])}” is not a time to pause for; write 30m, 6h, 2d or 1w (at most 90 days), or nothing to pause until /resume."));
        return ChangeAsync(editor, command, (root, config) => ConfigEdits.Pause(root, config, id, duration is { } span ? time.GetUtcNow().Add(span) : null), cancellationToken);
    }

    Task<Reply> ResumeAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1) return Task.FromResult(Usage("resume"));
        var id = command.Arguments[0];
        return ChangeAsync(editor, command, (root, config) => ConfigEdits.Resume(root, config, id, time.GetUtcNow()), cancellationToken);
    }

    static string Paused(RuleDefinition rule, DateTimeOffset now) =>
        !rule.Enabled ? " (paused)" : rule.PausedUntil is { } until && until > now ? $" (paused until {until.UtcDateTime:dd MMM HH:mm} UTC)" : "";

    static string Share(int part, int whole) => whole == 0 ? "" : $" ({100.0 * part / whole:0}%)";

    static string Terms(IReadOnlyList<string> terms) => string.Join(", ", terms.Select(t => $"<code>{Html(t)}</code>"));
}
