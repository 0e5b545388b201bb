using System.Text.Json;
using Syndication.Primitives;

namespace Syndication.Config;

/// <summary>The feeds and editors of a configuration.</summary>
public static partial class ConfigParser
{
    static EditorDefinition ReadEditor(JsonElement e, string path, ConfigErrors errors)
    {
        CheckFields(e, path, EditorFields, errors);
        long user = 0;
        if (!e.TryGetProperty("user", out var u))
            errors.Add(new($"{path}.user", "missing; give the editor's numeric Telegram user id (@userinfobot tells it)"));
        else if (u.ValueKind != JsonValueKind.Number || !u.TryGetInt64(out user) || user < ConfigSchema.Range(ConfigSchema.Property(ConfigKind.Editor, "user")).Min)
        {
            errors.Add(new($"{path}.user", $"must be a Telegram user id, a positive whole number such as 111111111, not {Describe(u)}"));
            user = 0;
        }
        var name = ReadString(e, "name", path, errors, required: true) ?? "";
        var longest = ConfigSchema.MaxLength(ConfigSchema.Property(ConfigKind.Editor, "name"));
        if (name.Length > longest) errors.Add(new($"{path}.name", $"must be at most {longest} characters"));
        var role = ReadChoice(e, "role", path, ConfigSchema.Property(ConfigKind.Editor, "role"), errors) switch
        {
            "admin" => EditorRole.Admin,
            _ => EditorRole.Editor,
        };
        return new(user, name, role);
    }

    static FeedDefinition ReadFeed(JsonElement e, string path, ConfigErrors errors)
    {
        CheckFields(e, path, FeedFields, errors);
        var id = ReadId(e, path, errors);
        var urlText = ReadString(e, "url", path, errors, required: true);
        Uri url = new("http://invalid.invalid/");
        if (urlText is not null)
        {
            if (Uri.TryCreate(urlText, UriKind.Absolute, out var parsed) && HttpAddresses.IsHttp(parsed))
                url = parsed;
            else
                errors.Add(new($"{path}.url", $"'{urlText}' is not an absolute http:// or https:// URL"));
        }
        var backfill = ReadWhole(e, "backfill", path, ConfigSchema.Property(ConfigKind.Feed, "backfill"), 0, errors, why: " (how many of the newest matching items to alert when the feed is first seen)");
        var name = ReadString(e, "name", path, errors, required: false);
        var tags = ReadStrings(e, "tags", path, errors);
        for (var i = 0; i < (tags?.Count ?? 0); i++)
            if (tags![i].Length > 0 && !IdPattern().IsMatch(tags[i]))
                errors.Add(new($"{path}.tags[{i}]", $"'{tags[i]}' is not a valid tag; use letters, digits, '-' or '_'"));
        var fullText = ReadChoice(e, "fullText", path, ConfigSchema.Property(ConfigKind.Feed, "fullText"), errors) is { } mode ? Enum.Parse<FullTextMode>(mode, ignoreCase: true) : FullTextMode.Auto;
        var minInterval = ReadWhole(e, "minIntervalMinutes", path, ConfigSchema.Property(ConfigKind.Feed, "minIntervalMinutes"), 0, errors, unit: " of minutes");
        return new(id, url, backfill, name, tags) { FullText = fullText, MinIntervalMinutes = minInterval, Enabled = ReadBool(e, "enabled", path, errors) ?? true };
    }
}
