using System.Text.Json;
using Syndication.Syntax;

namespace Syndication.Config;

/// <summary>A rule: its terms, scopes and routing; terms parsed as the matcher will parse them.</summary>
public static partial class ConfigParser
{
    static RuleDefinition ReadRule(JsonElement e, string path, ConfigErrors errors)
    {
        CheckFields(e, path, RuleFields, errors);
        var id = ReadId(e, path, errors);
        var channels = ReadStrings(e, "channels", path, errors) ?? [];
        if (e.TryGetProperty("channels", out _) && channels.Count(c => c.Length > 0) == 0 && !channels.Any(c => c.Length == 0))
            errors.Add(new($"{path}.channels", "a rule must send to at least one channel"));
        else if (!e.TryGetProperty("channels", out _))
            errors.Add(new($"{path}.channels", "missing; list the channel ids this rule sends to"));
        var feeds = ReadStrings(e, "feeds", path, errors);
        var enabled = ReadBool(e, "enabled", path, errors) ?? true;
        var caseSensitive = ReadBool(e, "caseSensitive", path, errors) ?? false;
        var fields = ReadFields(e, path, errors);
        var anyOf = ReadStrings(e, "anyOf", path, errors) ?? [];
        var allOf = ReadStrings(e, "allOf", path, errors) ?? [];
        var noneOf = ReadStrings(e, "noneOf", path, errors) ?? [];
        if (anyOf.Count == 0 && allOf.Count == 0)
            errors.Add(new(path, $"rule '{id}' has no terms; give it at least one term in \"anyOf\" or \"allOf\""));
        var parsedAllOf = CheckTerms(allOf, $"{path}.allOf", caseSensitive, errors);
        CheckTerms(anyOf, $"{path}.anyOf", caseSensitive, errors);
        var parsedNoneOf = CheckTerms(noneOf, $"{path}.noneOf", caseSensitive, errors);
        if (errors.Regexes.OverBy(path) is { } over)
            errors.Add(new(path, $"rule '{id}' is over the configuration's budget for regular expressions: {over}"));
        foreach (var (index, term) in parsedAllOf)
            if (parsedNoneOf.FirstOrDefault(n => n.Term.Key == term.Key) is { Term: not null } excluded)
                errors.Add(new($"{path}.allOf[{index}]", $"rule '{id}' can never match: '{term.Raw}' is required by allOf and excluded by noneOf[{excluded.Index}]; remove one of them"));
        DateTimeOffset? pausedUntil = null;
        if (ReadString(e, "pausedUntil", path, errors, required: false) is { Length: > 0 } until)
        {
            if (DateTimeOffset.TryParse(until, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed) && until.Contains('T')
                && (until.EndsWith('Z') || until[^6] is '+' or '-'))
                pausedUntil = parsed.ToUniversalTime();
            else errors.Add(new($"{path}.pausedUntil", $"'{until}' is not a time with its offset, such as \"2026-11-29T18:00:00Z\""));
        }
        return new(id, channels, feeds, anyOf, allOf, noneOf, caseSensitive, fields, enabled)
        {
            OnUpdate = ReadOnUpdate(e, path, errors), Urgent = ReadBool(e, "urgent", path, errors) ?? false, PausedUntil = pausedUntil,
            MinOutlets = ReadWhole(e, "minOutlets", path, ConfigSchema.Property(ConfigKind.Rule, "minOutlets"), 1, errors, why: " (sites that must carry a story before this rule alerts it)"),
        };
    }

    static OnUpdate ReadOnUpdate(JsonElement e, string path, ConfigErrors errors) =>
        ReadChoice(e, "onUpdate", path, "/definitions/onUpdate", errors) is { } value ? Enum.Parse<OnUpdate>(value, ignoreCase: true) : OnUpdate.Ignore;

    static ArticleField ReadFields(JsonElement e, string path, ConfigErrors errors)
    {
        var names = ReadStrings(e, "fields", path, errors);
        if (names is null) return ArticleField.Default;
        if (names.Count == 0)
        {
            errors.Add(new($"{path}.fields", "must name at least one of " + string.Join(", ", ArticleFields.All.Select(f => f.Name)) + "; leave it out to use title, summary and text"));
            return ArticleField.Default;
        }
        var fields = ArticleField.None;
        for (var i = 0; i < names.Count; i++)
        {
            var match = ArticleFields.All.FirstOrDefault(f => f.Name == names[i]);
            if (match.Name is null)
                errors.Add(new($"{path}.fields[{i}]", $"unknown field '{names[i]}'" + OrHint(Suggest(names[i], ArticleFields.All.Select(f => f.Name)), "; use one of " + string.Join(", ", ArticleFields.All.Select(f => f.Name)))));
            fields |= match.Field;
        }
        return fields == ArticleField.None ? ArticleField.Default : fields;
    }

    /// <summary>Parses each term the way the matcher will, so a term that cannot work is an error here and not a silent miss later.</summary>
    static List<(int Index, ParsedTerm Term)> CheckTerms(List<string>? terms, string path, bool caseSensitive, ConfigErrors errors)
    {
        var parsed = new List<(int, ParsedTerm)>();
        for (var i = 0; i < (terms?.Count ?? 0); i++)
        {
            if (terms![i].Length == 0) continue;
            if (TermSyntax.TryParse(terms![i], caseSensitive, out var error, errors.Regexes, path[..path.LastIndexOf('.')]) is { } term) parsed.Add((i, term));
            else if (error is not null) errors.Add(new($"{path}[{i}]", error));
        }
        return parsed;
    }
}
