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
        else if (u.ValueKind != JsonValueKind.Number || !u.TryGetInt64(out user) || user <= 0)
        {
            errors.Add(new($"{path}.user", $"must be a Telegram user id, a positive whole number such as 111111111, not {Describe(u)}"));
            user = 0;
        }
        var name = ReadString(e, "name", path, errors, required: true) ?? "";
        if (name.Length > 64) errors.Add(new($"{path}.name", "must be at most 64 characters"));
        var role = ReadString(e, "role", path, errors, required: false) switch
        {
            null or "" or "editor" => EditorRole.Editor,
            "admin" => EditorRole.Admin,
            var other => Invalid(other),
        };
        return new(user, name, role);

        EditorRole Invalid(string given)
        {
            errors.Add(new($"{path}.role", $"'{given}' is not one of editor, admin"));
            return EditorRole.Editor;
        }
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
        var backfill = 0;
        if (e.TryGetProperty("backfill", out var b))
        {
            if (b.ValueKind != JsonValueKind.Number || !b.TryGetInt32(out backfill) || backfill < 0 || backfill > 100)
            {
                errors.Add(new($"{path}.backfill", "must be a whole number from 0 to 100 (how many of the newest matching items to alert when the feed is first seen)"));
                backfill = 0;
            }
        }
        var name = ReadString(e, "name", path, errors, required: false);
        var tags = ReadStrings(e, "tags", path, errors);
        for (var i = 0; i < (tags?.Count ?? 0); i++)
            if (tags![i].Length > 0 && !IdPattern().IsMatch(tags[i]))
                errors.Add(new($"{path}.tags[{i}]", $"'{tags[i]}' is not a valid tag; use letters, digits, '-' or '_'"));
        var fullText = FullTextMode.Auto;
        if (ReadString(e, "fullText", path, errors, required: false) is { Length: > 0 } mode
            && !(Enum.TryParse(mode, ignoreCase: true, out fullText) && mode.All(char.IsLetter)))
            errors.Add(new($"{path}.fullText", $"'{mode}' is not one of auto, always, never"));
        var minInterval = 0;
        if (e.TryGetProperty("minIntervalMinutes", out var m) && (m.ValueKind != JsonValueKind.Number || !m.TryGetInt32(out minInterval) || minInterval is < 0 or > 1440))
        {
            errors.Add(new($"{path}.minIntervalMinutes", "must be a whole number of minutes from 0 to 1440"));
            minInterval = 0;
        }
        return new(id, url, backfill, name, tags) { FullText = fullText, MinIntervalMinutes = minInterval, Enabled = ReadBool(e, "enabled", path, errors) ?? true };
    }
}
