using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Syndication.Config;

namespace Syndication.Editing;

/// <summary>The commands that read and change rules: their terms and their pauses.</summary>
public sealed partial class EditorCommands
{
    async Task<Reply> RulesAsync(CancellationToken cancellationToken)
    {
        if (await live.ReadAsync(cancellationToken) is not { } current) return NoConfig;
        var now = time.GetUtcNow();
        var text = new StringBuilder($"<b>{current.Config.Rules.Count} rules</b>\n");
        foreach (var rule in current.Config.Rules)
            text.Append(CultureInfo.InvariantCulture, $"\n<b>{Html(rule.Id)}</b> → {Html(string.Join(", ", rule.Channels))}: {rule.AnyOf.Count + rule.AllOf.Count} terms{Paused(rule, now)}");
        var buttons = current.Config.Rules.Take(24).Select(r => new ReplyButton(r.Id, $"/rule {r.Id}")).Chunk(3).Select(row => (IReadOnlyList<ReplyButton>)row).ToList();
        return new Reply(text.ToString(), buttons);
    }

    async Task<Reply> RuleAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1) return Usage("rule");
        if (await live.ReadAsync(cancellationToken) is not { } current) return NoConfig;
        var rule = current.Config.Rules.FirstOrDefault(r => r.Id == command.Arguments[0]);
        if (rule is null) return new Reply(Html(NoRule(command.Arguments[0], current.Config)));
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
        var (id, channel, terms) = (command.Arguments[0], command.Arguments[1], command.Arguments.Skip(2).Distinct(StringComparer.Ordinal).ToList());
        return ChangeAsync(editor, command, (root, config) =>
        {
            if (config.Rules.Any(r => r.Id == id)) throw new EditRefusedException($"There is already a rule '{id}'; /add {id} term… adds terms to it.");
            Array(root, "rules").Add(new JsonObject
            {
                ["id"] = id,
                ["channels"] = new JsonArray(channel),
                ["anyOf"] = new JsonArray([.. terms.Select(t => (JsonNode)JsonValue.Create(t))]),
            });
            return $"new rule {id} → {channel}: {string.Join(", ", terms)}";
        }, cancellationToken);
    }

    Task<Reply> TermsAsync(EditorDefinition editor, CommandText command, string list, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count < 2) return Task.FromResult(Usage(command.Name));
        var (id, terms) = (command.Arguments[0], command.Arguments.Skip(1).Distinct(StringComparer.Ordinal).ToList());
        return ChangeAsync(editor, command, (root, config) =>
        {
            var rule = FindRule(root, config, id);
            var array = Array(rule, list);
            var present = array.Select(t => t?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            var added = terms.Where(t => !present.Contains(t)).ToList();
            if (added.Count == 0) throw new EditRefusedException($"Rule '{id}' already has {string.Join(", ", terms)} in {list}.");
            foreach (var term in added) array.Add(term);
            CheckSize(rule, id);
            return $"{id}: {list} + {string.Join(", ", added)}";
        }, cancellationToken);
    }

    Task<Reply> RemoveTermsAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count < 2) return Task.FromResult(Usage("remove"));
        var (id, terms) = (command.Arguments[0], command.Arguments.Skip(1).Distinct(StringComparer.Ordinal).ToList());
        return ChangeAsync(editor, command, (root, config) =>
        {
            var rule = FindRule(root, config, id);
            var missing = terms.ToHashSet(StringComparer.Ordinal);
            foreach (var list in new[] { "anyOf", "allOf", "noneOf" })
            {
                if (rule[list] is not JsonArray array) continue;
                foreach (var node in array.Where(n => n is JsonValue v && v.TryGetValue<string>(out var t) && terms.Contains(t, StringComparer.Ordinal)).ToList())
                {
                    missing.Remove(node!.GetValue<string>());
                    array.Remove(node);
                }
            }
            if (missing.Count > 0)
                throw new EditRefusedException($"Rule '{id}' has no term {string.Join(", ", missing.Select(m => $"“{m}”"))}; /rule {id} shows its terms. Nothing was changed.");
            return $"{id}: − {string.Join(", ", terms)}";
        }, cancellationToken);
    }

    Task<Reply> PauseAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count is < 1 or > 2) return Task.FromResult(Usage("pause"));
        var id = command.Arguments[0];
        TimeSpan? duration = null;
        if (command.Arguments.Count == 2 && (duration = CommandText.Duration(command.Arguments[1])) is null)
            return Task.FromResult(new Reply($"“{Html(command.Arguments[1])}” is not a time to pause for; write 30m, 6h, 2d or 1w (at most 90 days), or nothing to pause until /resume."));
        return ChangeAsync(editor, command, (root, config) =>
        {
            var rule = FindRule(root, config, id);
            if (duration is { } span)
            {
                var until = time.GetUtcNow().Add(span);
                until = new DateTimeOffset(until.Ticks - until.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
                rule.Remove("enabled");
                rule["pausedUntil"] = until.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                return $"{id} paused until {until:yyyy-MM-dd HH:mm} UTC";
            }
            rule.Remove("pausedUntil");
            rule["enabled"] = false;
            return $"{id} paused until /resume";
        }, cancellationToken);
    }

    Task<Reply> ResumeAsync(EditorDefinition editor, CommandText command, CancellationToken cancellationToken)
    {
        if (command.Arguments.Count != 1) return Task.FromResult(Usage("resume"));
        var id = command.Arguments[0];
        return ChangeAsync(editor, command, (root, config) =>
        {
            var rule = FindRule(root, config, id);
            var definition = config.Rules.First(r => r.Id == id);
            if (definition.Enabled && !(definition.PausedUntil > time.GetUtcNow())) throw new EditRefusedException($"Rule '{id}' is not paused.");
            rule.Remove("enabled");
            rule.Remove("pausedUntil");
            return $"{id} resumed";
        }, cancellationToken);
    }

    static JsonObject FindRule(JsonObject root, SyndicationConfig config, string id) =>
        Array(root, "rules").OfType<JsonObject>().FirstOrDefault(r => (string?)r["id"] == id) ?? throw new EditRefusedException(NoRule(id, config));

    static void CheckSize(JsonObject rule, string id)
    {
        var count = new[] { "anyOf", "allOf", "noneOf" }.Sum(list => (rule[list] as JsonArray)?.Count ?? 0);
        if (count > MaxTermsPerRule) throw new EditRefusedException($"Rule '{id}' would have {count} terms; a rule may have at most {MaxTermsPerRule}. Split it into two rules.");
    }

    static string Paused(RuleDefinition rule, DateTimeOffset now) =>
        !rule.Enabled ? " (paused)" : rule.PausedUntil is { } until && until > now ? $" (paused until {until.UtcDateTime:dd MMM HH:mm} UTC)" : "";

    static string Share(int part, int whole) => whole == 0 ? "" : $" ({100.0 * part / whole:0}%)";

    static string Terms(IReadOnlyList<string> terms) => string.Join(", ", terms.Select(t => $"<code>{Html(t)}</code>"));
}
