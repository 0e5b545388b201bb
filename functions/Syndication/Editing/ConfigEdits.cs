using System.Globalization;
using System.Text.Json.Nodes;
using Syndication.Config;

namespace Syndication.Editing;

/// <summary>
/// A rule as the editors' page edits it: its terms, the channels it sends to, the feeds it reads (null: all), and where
/// and how it looks: the article's parts (<c>fields</c>; null leaves them) and exact case (null leaves it).
/// </summary>
public sealed record RuleForm(IReadOnlyList<string> AnyOf, IReadOnlyList<string> AllOf, IReadOnlyList<string> NoneOf, IReadOnlyList<string> Channels, IReadOnlyList<string>? Feeds,
    IReadOnlyList<string>? Fields = null, bool? CaseSensitive = null);

/// <summary>
/// What each editor's command does to the configuration's JSON, and nothing else: pure functions of the JSON and the
/// validated configuration it was read as. Each returns what it did in words, or throws <see cref="EditRefusedException"/>
/// with the reason. <see cref="LiveConfig"/> validates the result and writes it.
/// </summary>
public static class ConfigEdits
{
    /// <summary>The most terms one rule may hold, counting anyOf, allOf and noneOf.</summary>
    public const int MaxTermsPerRule = 1_000;

    public static string NewRule(JsonObject root, SyndicationConfig config, string id, string channel, IReadOnlyList<string> terms)
    {
        if (config.Rules.Any(r => r.Id == id)) throw new EditRefusedException($"There is already a rule '{id}'; /add {id} term… adds terms to it.");
        var rule = new JsonObject
        {
            ["id"] = id,
            ["channels"] = new JsonArray(channel),
            ["anyOf"] = new JsonArray([.. terms.Distinct(StringComparer.Ordinal).Select(t => (JsonNode)JsonValue.Create(t))]),
        };
        CheckSize(rule, id);
        Array(root, "rules").Add(rule);
        return $"new rule {id} → {channel}: {string.Join(", ", terms.Distinct(StringComparer.Ordinal))}";
    }

    /// <summary>
    /// Sets a rule's terms, channels and feeds as the editors' page's form has them (a null <see cref="RuleForm.Feeds"/>
    /// reads every feed); its other settings stay. Says what changed, list by list; refused when nothing did.
    /// </summary>
    public static string SetRule(JsonObject root, SyndicationConfig config, string id, RuleForm form)
    {
        var rule = FindRule(root, config, id);
        var changes = new List<string>();
        void Set(string name, IReadOnlyList<string>? values, bool keepEmpty)
        {
            var before = (rule[name] as JsonArray)?.Select(v => v?.GetValue<string>() ?? "").ToList() ?? [];
            var after = values?.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (after is null || after.Count == 0 && !keepEmpty)
            {
                if (rule.Remove(name)) changes.Add($"{name} − all");
                return;
            }
            if (before.SequenceEqual(after, StringComparer.Ordinal)) return;
            rule[name] = new JsonArray([.. after.Select(v => (JsonNode)JsonValue.Create(v))]);
            var added = after.Except(before, StringComparer.Ordinal).ToList();
            var removed = before.Except(after, StringComparer.Ordinal).ToList();
            changes.Add($"{name}{(added.Count > 0 ? " + " + string.Join(", ", added) : "")}{(removed.Count > 0 ? " − " + string.Join(", ", removed) : "")}");
        }
        Set("channels", form.Channels, keepEmpty: true);
        Set("feeds", form.Feeds, keepEmpty: false);
        Set("anyOf", form.AnyOf, keepEmpty: false);
        Set("allOf", form.AllOf, keepEmpty: false);
        Set("noneOf", form.NoneOf, keepEmpty: false);
        if (form.Fields is { } fields)
        {
            // The default parts are written as no "fields" at all, as a file would leave them.
            var named = ArticleFields.All.Where(f => fields.Contains(f.Name, StringComparer.Ordinal)).Select(f => f.Name).ToList();
            var isDefault = named.SequenceEqual(ArticleFields.All.Where(f => ArticleField.Default.HasFlag(f.Field)).Select(f => f.Name));
            Set("fields", isDefault ? null : fields, keepEmpty: true);
        }
        if (form.CaseSensitive is { } exact && exact != ((bool?)rule["caseSensitive"] ?? false))
        {
            if (exact) rule["caseSensitive"] = true;
            else rule.Remove("caseSensitive");
            changes.Add(exact ? "case sensitive" : "any case");
        }
        if (changes.Count == 0) throw new EditRefusedException($"Rule '{id}' already reads so; nothing was changed.") { NothingToChange = true };
        CheckSize(rule, id);
        return $"{id}: {string.Join("; ", changes)}";
    }

    /// <summary>Adds the terms the rule lacks to <paramref name="list"/> (<c>anyOf</c>, <c>allOf</c> or <c>noneOf</c>).</summary>
    public static string AddTerms(JsonObject root, SyndicationConfig config, string id, string list, IReadOnlyList<string> terms)
    {
        var rule = FindRule(root, config, id);
        var array = Array(rule, list);
        var present = array.Select(t => t?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var added = terms.Distinct(StringComparer.Ordinal).Where(t => !present.Contains(t)).ToList();
        if (added.Count == 0) throw new EditRefusedException($"Rule '{id}' already has {string.Join(", ", terms)} in {list}.");
        foreach (var term in added) array.Add(term);
        CheckSize(rule, id);
        return $"{id}: {list} + {string.Join(", ", added)}";
    }

    /// <summary>Takes the terms out of whichever lists hold them; refused, changing nothing, if one is in none.</summary>
    public static string RemoveTerms(JsonObject root, SyndicationConfig config, string id, IReadOnlyList<string> terms)
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
        return $"{id}: − {string.Join(", ", terms.Distinct(StringComparer.Ordinal))}";
    }

    /// <summary>Pauses the rule until <paramref name="until"/> (to the minute), or with no end until it is resumed.</summary>
    public static string Pause(JsonObject root, SyndicationConfig config, string id, DateTimeOffset? until)
    {
        var rule = FindRule(root, config, id);
        if (until is { } end)
        {
            var minute = new DateTimeOffset(end.UtcTicks - end.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
            rule.Remove("enabled");
            rule["pausedUntil"] = minute.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return $"{id} paused until {minute.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
        }
        rule.Remove("pausedUntil");
        rule["enabled"] = false;
        return $"{id} paused until /resume";
    }

    public static string Resume(JsonObject root, SyndicationConfig config, string id, DateTimeOffset now)
    {
        var rule = FindRule(root, config, id);
        var definition = config.Rules.First(r => r.Id == id);
        if (definition.Enabled && !(definition.PausedUntil > now)) throw new EditRefusedException($"Rule '{id}' is not paused.");
        rule.Remove("enabled");
        rule.Remove("pausedUntil");
        return $"{id} resumed";
    }

    public static string SetFeedEnabled(JsonObject root, SyndicationConfig config, string id, bool enabled)
    {
        var feed = FindFeed(root, config, id);
        if (config.Feeds.First(f => f.Id == id).Enabled == enabled) throw new EditRefusedException($"Feed '{id}' is {(enabled ? "not paused" : "already paused")}.");
        if (enabled) feed.Remove("enabled");
        else feed["enabled"] = false;
        return enabled ? $"feed {id} resumed" : $"feed {id} paused";
    }

    public static string AddFeed(JsonObject root, SyndicationConfig config, string id, Uri address)
    {
        if (config.Feeds.FirstOrDefault(f => f.Url == address) is { } same) throw new EditRefusedException($"{address} is already watched as feed '{same.Id}'.");
        if (config.Feeds.Any(f => f.Id == id)) throw new EditRefusedException($"There is already a feed '{id}'; give another id: /addfeed {address} ID");
        Array(root, "feeds").Add(new JsonObject { ["id"] = id, ["url"] = address.ToString() });
        return $"feed {id} added: {address}";
    }

    /// <summary>
    /// What a feed just added will do: which rules read it (the enabled ones that read every feed; a new feed has no tags
    /// and no rule names it yet), and that what it carries now is stored without alerting anyone.
    /// </summary>
    public static string AddedFeedNote(SyndicationConfig config, string id)
    {
        var readers = config.Rules.Where(r => r.Enabled && r.Feeds is null).Select(r => r.Id).ToList();
        var who = readers.Count switch
        {
            0 => $"No rule reads it yet: add '{id}' to a rule's feeds, or leave a rule's feeds out so it reads every feed.",
            1 => $"Rule {readers[0]} reads it, as it reads every feed.",
            _ => $"Rules {string.Join(", ", readers.Take(readers.Count - 1))} and {readers[^1]} read it, as they read every feed.",
        };
        return $"{who} Its items now are stored without alerts (backfill 0); the ones it publishes from now on alert.";
    }

    public static string RemoveFeed(JsonObject root, SyndicationConfig config, string id)
    {
        Array(root, "feeds").Remove(FindFeed(root, config, id));
        return $"feed {id} removed";
    }

    public static string NoRule(string id, SyndicationConfig config) => $"There is no rule '{id}'{Hint(id, config.Rules.Select(r => r.Id))} /rules lists them.";

    /// <summary>"; did you mean 'x'?" when a known name is close, else a full stop.</summary>
    internal static string Hint(string given, IEnumerable<string> known) => ConfigParser.Suggest(given, known) is { Length: > 0 } hint ? hint : ".";

    static JsonObject FindRule(JsonObject root, SyndicationConfig config, string id) =>
        Array(root, "rules").OfType<JsonObject>().FirstOrDefault(r => (string?)r["id"] == id) ?? throw new EditRefusedException(NoRule(id, config));

    static JsonObject FindFeed(JsonObject root, SyndicationConfig config, string id) =>
        Array(root, "feeds").OfType<JsonObject>().FirstOrDefault(f => (string?)f["id"] == id)
        ?? throw new EditRefusedException($"There is no feed '{id}'{Hint(id, config.Feeds.Select(f => f.Id))} /feeds lists them.");

    static JsonArray Array(JsonObject parent, string name)
    {
        if (parent[name] is JsonArray array) return array;
        var created = new JsonArray();
        parent[name] = created;
        return created;
    }

    static void CheckSize(JsonObject rule, string id)
    {
        var count = new[] { "anyOf", "allOf", "noneOf" }.Sum(list => (rule[list] as JsonArray)?.Count ?? 0);
        if (count > MaxTermsPerRule) throw new EditRefusedException($"Rule '{id}' would have {count} terms; a rule may have at most {MaxTermsPerRule}. Split it into two rules.");
    }
}
