using System.Text.Json;
using Syndication.Syntax;

namespace Syndication.Config;

/// <summary>A channel: its chat, filters, layout, digest and quiet hours.</summary>
public static partial class ConfigParser
{
    static ChannelDefinition ReadChannel(JsonElement e, string path, ConfigErrors errors)
    {
        CheckFields(e, path, ChannelFields, errors);
        var id = ReadId(e, path, errors);
        if (id.StartsWith(SyndicationConfig.PersonChannelPrefix, StringComparison.OrdinalIgnoreCase))
            errors.Add(new($"{path}.id", $"'{id}': ids beginning '{SyndicationConfig.PersonChannelPrefix}' are kept for subscribers' private chats; choose another"));
        var chat = ReadString(e, "chat", path, errors, required: true) ?? "";
        if (chat.Length > 0 && !ChatPattern().IsMatch(chat))
            errors.Add(new($"{path}.chat", $"'{chat}' is neither @channelname nor a numeric chat id such as \"-1001234567890\""));
        var noneOf = ReadStrings(e, "noneOf", path, errors);
        CheckTerms(noneOf, $"{path}.noneOf", caseSensitive: false, errors);
        if (errors.Regexes.OverBy(path) is { } over)
            errors.Add(new($"{path}.noneOf", $"channel '{id}' is over the configuration's budget for regular expressions: {over}"));

        var sentences = ReadWhole(e, "summarySentences", path, ConfigSchema.Property(ConfigKind.Channel, "summarySentences"), 3, errors);
        TimeZoneInfo? zone = null;
        if (ReadString(e, "timeZone", path, errors, required: false) is { Length: > 0 } zoneId && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone))
            errors.Add(new($"{path}.timeZone", $"unknown time zone '{zoneId}'; use an IANA name such as \"Asia/Karachi\" or \"Europe/London\""));
        LinkPreview? preview = ReadChoice(e, "linkPreview", path, ConfigSchema.Property(ConfigKind.Channel, "linkPreview"), errors) is { } previewName ? Enum.Parse<LinkPreview>(previewName, ignoreCase: true) : null;
        int? threadId = null;
        if (e.TryGetProperty("threadId", out var t))
        {
            if (t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var thread) && thread >= ConfigSchema.Range(ConfigSchema.Property(ConfigKind.Channel, "threadId")).Min) threadId = thread;
            else errors.Add(new($"{path}.threadId", "must be the positive whole number of a forum topic (message_thread_id)"));
        }
        var silent = ReadBool(e, "silent", path, errors) ?? false;
        var template = ReadString(e, "template", path, errors, required: false);
        if (template is { Length: > 0 } && MessageTemplate.Check(template) is { } templateError)
            errors.Add(new($"{path}.template", templateError));

        return new(id, chat, noneOf)
        {
            SummarySentences = sentences, TimeZone = zone, LinkPreview = preview, ThreadId = threadId, Silent = silent, Template = template,
            OnUpdate = ReadOnUpdate(e, path, errors),
            ShowAuthor = ReadBool(e, "showAuthor", path, errors) ?? true,
            QuietHours = ReadQuietHours(e, path, errors),
            Images = ReadImages(e, path, errors),
            Digest = ReadDigest(e, path, errors),
            NotRelevantButton = ReadBool(e, "notRelevantButton", path, errors) ?? true,
            AlsoReported = ReadBool(e, "alsoReported", path, errors) ?? true,
            Language = ReadChoice(e, "language", path, ConfigSchema.Property(ConfigKind.Channel, "language"), errors) ?? "en",
            Growing = ReadGrowing(e, path, errors),
        };
    }

    static GrowingStories? ReadGrowing(JsonElement e, string path, ConfigErrors errors)
    {
        if (!ReadSection(e, "growing", ref path, GrowingFields, "{ \"outlets\": 3, \"within\": \"60m\" }", errors, out var growing)) return null;
        if (!growing.TryGetProperty("outlets", out _))
        {
            errors.Add(new(path, "missing outlets: how many sites must carry a story, such as { \"outlets\": 3, \"within\": \"60m\" }"));
            return null;
        }
        var outlets = ReadWhole(growing, "outlets", path, ConfigSchema.Property(ConfigKind.Growing, "outlets"), 0, errors, why: " (distinct sites carrying one story)");
        var within = GrowingStories.DefaultWithin;
        if (ReadString(growing, "within", path, errors, required: false) is { } text)
        {
            var period = ReadPeriod(text, ConfigSchema.Property(ConfigKind.Growing, "within"));
            if (period is null || period < GrowingStories.ShortestWithin || period > GrowingStories.LongestWithin)
            {
                errors.Add(new($"{path}.within", $"'{text}' is not a period from \"5m\" to \"12h\", such as \"60m\" or \"2h\""));
                return null;
            }
            within = period.Value;
        }
        return outlets > 0 ? new GrowingStories(outlets, within) : null;
    }

    /// <summary>A period written as minutes or hours ("30m", "2h"), as the schema's pattern at <paramref name="pointer"/> allows; null when it is not one.</summary>
    static TimeSpan? ReadPeriod(string text, string pointer) =>
        ConfigSchema.Pattern(pointer).IsMatch(text)
            ? (text[^1] == 'h' ? TimeSpan.FromHours(int.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture)) : TimeSpan.FromMinutes(int.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture)))
            : null;

    /// <summary>
    /// An optional object field: false when it is absent or not an object (then an error shows <paramref name="example"/>);
    /// otherwise its fields are checked and <paramref name="path"/> points into it.
    /// </summary>
    static bool ReadSection(JsonElement e, string name, ref string path, string[] fields, string example, ConfigErrors errors, out JsonElement section)
    {
        if (!e.TryGetProperty(name, out section)) return false;
        path += "." + name;
        if (section.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, $"must be an object such as {example}, not {Describe(section)}"));
            return false;
        }
        CheckFields(section, path, fields, errors);
        return true;
    }

    static DigestSchedule? ReadDigest(JsonElement e, string path, ConfigErrors errors)
    {
        if (!ReadSection(e, "digest", ref path, DigestFields, "{ \"every\": \"1h\" } or { \"cron\": \"0 8,18 * * *\" }", errors, out var digest)) return null;
        var every = ReadString(digest, "every", path, errors, required: false);
        var cron = ReadString(digest, "cron", path, errors, required: false);
        if (every is not null && cron is not null)
        {
            errors.Add(new(path, "give either every or cron, not both"));
            return null;
        }
        if (cron is not null)
        {
            if (DigestSchedule.FromCron(cron, out var error) is { } schedule)
            {
                if (schedule.TooRare() is not { } rare) return schedule;
                errors.Add(new($"{path}.cron", $"'{cron}' is too rare for a digest: {rare}"));
                return null;
            }
            errors.Add(new($"{path}.cron", $"'{cron}' is not a cron expression of five fields (minute hour day month weekday): {error}"));
            return null;
        }
        if (every is null)
        {
            errors.Add(new(path, "missing every or cron; for example { \"every\": \"1h\" }"));
            return null;
        }
        var period = ReadPeriod(every, ConfigSchema.Property(ConfigKind.Digest, "every"));
        if (period is null || period < DigestSchedule.Shortest || period > DigestSchedule.Longest)
        {
            errors.Add(new($"{path}.every", $"'{every}' is not a period from \"5m\" to \"24h\", such as \"30m\" or \"1h\""));
            return null;
        }
        return DigestSchedule.EveryPeriod(period.Value);
    }

    static Images ReadImages(JsonElement e, string path, ConfigErrors errors) =>
        ReadChoice(e, "images", path, ConfigSchema.Property(ConfigKind.Channel, "images"), errors) is { } name ? Enum.Parse<Images>(name, ignoreCase: true) : Images.Preview;

    static QuietHours? ReadQuietHours(JsonElement e, string path, ConfigErrors errors)
    {
        if (!ReadSection(e, "quietHours", ref path, QuietHoursFields, "{ \"from\": \"23:00\", \"to\": \"07:00\" }", errors, out var quiet)) return null;
        TimeOnly? Time(string name)
        {
            if (ReadString(quiet, name, path, errors, required: true) is not { } text) return null;
            if (ConfigSchema.Pattern(ConfigSchema.Property(ConfigKind.QuietHours, name)).IsMatch(text) && TimeOnly.TryParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time)) return time;
            errors.Add(new($"{path}.{name}", $"'{text}' is not a time of day on a 24-hour clock, such as \"23:00\" or \"07:30\""));
            return null;
        }
        var (from, to) = (Time("from"), Time("to"));
        var hold = ReadBool(quiet, "hold", path, errors) ?? false;
        if (from is null || to is null) return null;
        if (from == to)
        {
            errors.Add(new($"{path}.to", $"is the same time as from ({from:HH\\:mm}); quiet hours need a window of at least a minute"));
            return null;
        }
        return new QuietHours(from.Value, to.Value, hold);
    }
}
