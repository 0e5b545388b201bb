using System.Text.Json;
using System.Text.RegularExpressions;
using Syndication.Articles;
using Syndication.Primitives;
using Syndication.Rules;
using Syndication.Storage;
using Syndication.Syntax;
using Syndication.Telegram;

namespace Syndication.Config;

/// <summary>
/// Reads and validates <c>syndication.json</c>. It walks the JSON by hand instead of deserialising it, so that it can
/// report every problem at once, each with its JSON path, and reject unknown fields so a typo never silently disables a rule.
/// </summary>
public static partial class ConfigParser
{
    internal static readonly string[] RootFields = ["$schema", "feeds", "channels", "rules", "alerts", "editors"];
    internal static readonly string[] EditorFields = ["user", "name", "role"];
    internal static readonly string[] AlertsFields = ["chat"];
    internal static readonly string[] FeedFields = ["id", "url", "name", "backfill", "tags", "fullText", "minIntervalMinutes", "enabled"];
    internal static readonly string[] ChannelFields = ["id", "chat", "noneOf", "summarySentences", "timeZone", "linkPreview", "threadId", "silent", "template", "onUpdate", "showAuthor", "quietHours", "images", "digest", "notRelevantButton"];
    internal static readonly string[] DigestFields = ["every", "cron"];
    internal static readonly string[] QuietHoursFields = ["from", "to", "hold"];
    internal static readonly string[] RuleFields = ["id", "enabled", "pausedUntil", "channels", "feeds", "anyOf", "allOf", "noneOf", "caseSensitive", "fields", "onUpdate", "urgent"];

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex IdPattern();

    // Telegram usernames are 5 to 32 characters of letters, digits and underscores; numeric ids may be negative (groups, channels).
    [GeneratedRegex(@"^(@[A-Za-z][A-Za-z0-9_]{3,31}|-?[0-9]{1,20})$")]
    private static partial Regex ChatPattern();

    public static SyndicationConfig Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConfigException(source, [new ConfigError("$", JsonErrorWords.Explain(ex))]);
        }

        using (document)
        {
            var errors = new ConfigErrors();
            var config = Read(document.RootElement, errors);
            if (errors.Count > 0) throw new ConfigException(source, errors);
            return config;
        }
    }

    /// <summary>The problems found so far, and what the configuration's regular expressions have cost.</summary>
    sealed class ConfigErrors : List<ConfigError>
    {
        public RegexBudget Regexes { get; } = new();
    }

    static SyndicationConfig Read(JsonElement root, ConfigErrors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("$", "the configuration must be a JSON object with \"feeds\", \"channels\" and \"rules\""));
            return new([], [], []);
        }
        CheckFields(root, "", RootFields, errors);

        var feeds = ReadArray(root, "feeds", "", errors, ReadFeed);
        var channels = ReadArray(root, "channels", "", errors, ReadChannel);
        var rules = ReadArray(root, "rules", "", errors, ReadRule);

        CheckDuplicates(feeds.Select(f => f.Id).ToList(), "feeds", "feed", errors);
        CheckDuplicates(channels.Select(c => c.Id).ToList(), "channels", "channel", errors);
        CheckDuplicates(rules.Select(r => r.Id).ToList(), "rules", "rule", errors);

        var feedIds = feeds.Select(f => f.Id).ToHashSet();
        var tags = feeds.SelectMany(f => f.Tags ?? []).ToHashSet();
        var channelIds = channels.Select(c => c.Id).ToHashSet();
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            for (var j = 0; j < rule.Channels.Count; j++)
                if (rule.Channels[j].Length > 0 && !channelIds.Contains(rule.Channels[j]))
                    errors.Add(new($"rules[{i}].channels[{j}]", $"unknown channel '{rule.Channels[j]}'{Suggest(rule.Channels[j], channelIds)}"));
            for (var j = 0; j < (rule.Feeds?.Count ?? 0); j++)
            {
                var reference = rule.Feeds![j];
                if (reference.StartsWith(SyndicationConfig.TagPrefix, StringComparison.Ordinal))
                {
                    var tag = reference[SyndicationConfig.TagPrefix.Length..];
                    if (!tags.Contains(tag))
                        errors.Add(new($"rules[{i}].feeds[{j}]", $"no feed has the tag '{tag}'" + OrHint(Suggest(tag, tags), "; add it to a feed's \"tags\" or fix the name")));
                }
                else if (reference.Length > 0 && !feedIds.Contains(reference))
                    errors.Add(new($"rules[{i}].feeds[{j}]", $"unknown feed '{reference}'{Suggest(reference, feedIds)}"));
            }
        }
        string? alertsChat = null;
        if (root.TryGetProperty("alerts", out var alerts))
        {
            if (alerts.ValueKind != JsonValueKind.Object)
                errors.Add(new("alerts", $"must be an object such as {{ \"chat\": \"@editors_channel\" }}, not {Describe(alerts)}"));
            else
            {
                CheckFields(alerts, "alerts", AlertsFields, errors);
                alertsChat = ReadString(alerts, "chat", "alerts", errors, required: true);
                if (alertsChat is { Length: > 0 } && !ChatPattern().IsMatch(alertsChat))
                    errors.Add(new("alerts.chat", $"'{alertsChat}' is neither @channelname nor a numeric chat id such as \"-1001234567890\""));
            }
        }
        var editors = root.TryGetProperty("editors", out _) ? ReadArray(root, "editors", "", errors, ReadEditor) : [];
        foreach (var group in editors.Select((editor, i) => (editor, i)).GroupBy(x => x.editor.User).Where(g => g.Key > 0 && g.Count() > 1))
            errors.Add(new($"editors[{group.Skip(1).First().i}].user", $"user {group.Key} is listed more than once (editors[{group.First().i}]); give each editor one entry"));
        return new(feeds, channels, rules) { AlertsChat = alertsChat, Editors = editors };
    }

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

    static ChannelDefinition ReadChannel(JsonElement e, string path, ConfigErrors errors)
    {
        CheckFields(e, path, ChannelFields, errors);
        var id = ReadId(e, path, errors);
        var chat = ReadString(e, "chat", path, errors, required: true) ?? "";
        if (chat.Length > 0 && !ChatPattern().IsMatch(chat))
            errors.Add(new($"{path}.chat", $"'{chat}' is neither @channelname nor a numeric chat id such as \"-1001234567890\""));
        var noneOf = ReadStrings(e, "noneOf", path, errors);
        CheckTerms(noneOf, $"{path}.noneOf", caseSensitive: false, errors);
        if (errors.Regexes.OverBy(path) is { } over)
            errors.Add(new($"{path}.noneOf", $"channel '{id}' is over the configuration's budget for regular expressions: {over}"));

        var sentences = 3;
        if (e.TryGetProperty("summarySentences", out var n) && (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out sentences) || sentences is < 1 or > 5))
        {
            errors.Add(new($"{path}.summarySentences", "must be a whole number from 1 to 5"));
            sentences = 3;
        }
        TimeZoneInfo? zone = null;
        if (ReadString(e, "timeZone", path, errors, required: false) is { Length: > 0 } zoneId && !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone))
            errors.Add(new($"{path}.timeZone", $"unknown time zone '{zoneId}'; use an IANA name such as \"Asia/Karachi\" or \"Europe/London\""));
        LinkPreview? preview = null;
        if (ReadString(e, "linkPreview", path, errors, required: false) is { Length: > 0 } previewName)
        {
            if (Enum.TryParse<LinkPreview>(previewName, ignoreCase: true, out var parsed) && previewName.All(char.IsLetter)) preview = parsed;
            else errors.Add(new($"{path}.linkPreview", $"'{previewName}' is not one of off, small, large, above"));
        }
        int? threadId = null;
        if (e.TryGetProperty("threadId", out var t))
        {
            if (t.ValueKind == JsonValueKind.Number && t.TryGetInt32(out var thread) && thread > 0) threadId = thread;
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
        };
    }

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
        var match = System.Text.RegularExpressions.Regex.Match(every, @"^(\d{1,4})(m|h)$");
        var period = match.Success ? (match.Groups[2].Value == "h" ? TimeSpan.FromHours(int.Parse(match.Groups[1].Value)) : TimeSpan.FromMinutes(int.Parse(match.Groups[1].Value))) : (TimeSpan?)null;
        if (period is null || period < DigestSchedule.Shortest || period > DigestSchedule.Longest)
        {
            errors.Add(new($"{path}.every", $"'{every}' is not a period from \"5m\" to \"24h\", such as \"30m\" or \"1h\""));
            return null;
        }
        return DigestSchedule.EveryPeriod(period.Value);
    }

    static Images ReadImages(JsonElement e, string path, ConfigErrors errors)
    {
        if (ReadString(e, "images", path, errors, required: false) is not { Length: > 0 } name) return Images.Preview;
        if (Enum.TryParse<Images>(name, ignoreCase: true, out var images) && name.All(char.IsLetter)) return images;
        errors.Add(new($"{path}.images", $"'{name}' is not one of preview, photo, off"));
        return Images.Preview;
    }

    static QuietHours? ReadQuietHours(JsonElement e, string path, ConfigErrors errors)
    {
        if (!ReadSection(e, "quietHours", ref path, QuietHoursFields, "{ \"from\": \"23:00\", \"to\": \"07:00\" }", errors, out var quiet)) return null;
        TimeOnly? Time(string name)
        {
            if (ReadString(quiet, name, path, errors, required: true) is not { } text) return null;
            if (TimeOnly.TryParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time)) return time;
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
        };
    }

    static OnUpdate ReadOnUpdate(JsonElement e, string path, ConfigErrors errors)
    {
        var value = ReadString(e, "onUpdate", path, errors, required: false);
        switch (value)
        {
            case null or "ignore": return OnUpdate.Ignore;
            case "edit": return OnUpdate.Edit;
            default:
                errors.Add(new($"{path}.onUpdate", $"'{value}' is not one of ignore, edit"));
                return OnUpdate.Ignore;
        }
    }

    static List<T> ReadArray<T>(JsonElement parent, string name, string parentPath, ConfigErrors errors,
        Func<JsonElement, string, ConfigErrors, T> read)
    {
        var path = Join(parentPath, name);
        if (!parent.TryGetProperty(name, out var array))
        {
            errors.Add(new(path, "missing; it must be a list (it may be empty)"));
            return [];
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(path, $"must be a list, not {Describe(array)}"));
            return [];
        }
        var items = new List<T>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
                errors.Add(new(itemPath, $"must be an object, not {Describe(item)}"));
            else
                items.Add(read(item, itemPath, errors));
        }
        return items;
    }

    static string ReadId(JsonElement e, string path, ConfigErrors errors)
    {
        var id = ReadString(e, "id", path, errors, required: true) ?? "";
        if (id.Length > 0 && !IdPattern().IsMatch(id))
            errors.Add(new($"{path}.id", $"'{id}' is not a valid id; use 1 to 63 letters, digits, '-' or '_', starting with a letter or digit"));
        return id;
    }

    static string? ReadString(JsonElement e, string name, string path, ConfigErrors errors, bool required)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            if (required) errors.Add(new($"{path}.{name}", "missing"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new($"{path}.{name}", $"must be a string, not {Describe(value)}"));
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length == 0) errors.Add(new($"{path}.{name}", "must not be empty"));
        return text;
    }

    static List<string>? ReadStrings(JsonElement e, string name, string path, ConfigErrors errors)
    {
        if (!e.TryGetProperty(name, out var array)) return null;
        var arrayPath = $"{path}.{name}";
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(arrayPath, $"must be a list of strings, not {Describe(array)}"));
            return [];
        }
        var values = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{arrayPath}[{index++}]";
            // Invalid items stay as "" so that later checks report the same index the editor sees.
            if (item.ValueKind != JsonValueKind.String)
                errors.Add(new(itemPath, $"must be a string, not {Describe(item)}"));
            else if (string.IsNullOrWhiteSpace(item.GetString()))
                errors.Add(new(itemPath, "must not be empty"));
            values.Add(item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : "");
        }
        return values;
    }

    static bool? ReadBool(JsonElement e, string name, string path, ConfigErrors errors)
    {
        if (!e.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        errors.Add(new($"{path}.{name}", $"must be true or false, not {Describe(value)}"));
        return null;
    }

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

    static void CheckFields(JsonElement e, string path, string[] known, ConfigErrors errors)
    {
        foreach (var property in e.EnumerateObject())
            if (!known.Contains(property.Name))
                errors.Add(new(Join(path, property.Name), $"unknown field '{property.Name}'{Suggest(property.Name, known)}"));
    }

    static void CheckDuplicates(List<string> ids, string path, string kind, ConfigErrors errors)
    {
        var first = new Dictionary<string, int>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i].Length == 0) continue;
            if (first.TryGetValue(ids[i], out var at))
                errors.Add(new($"{path}[{i}].id", $"duplicate {kind} id '{ids[i]}' (first used at {path}[{at}])"));
            else
                first[ids[i]] = i;
        }
    }

    /// <summary>The "did you mean" suggestion when there is one, else the general hint.</summary>
    static string OrHint(string suggestion, string hint) => suggestion.Length > 0 ? suggestion : hint;

    internal static string Suggest(string given, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Name: k, Distance: Distance(given.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(k => k.Distance <= Math.Max(1, given.Length / 3))
            .OrderBy(k => k.Distance)
            .FirstOrDefault();
        return best.Name is null ? "" : $"; did you mean '{best.Name}'?";
    }

    /// <summary>Edit distance counting a swap of two neighbours as one edit (optimal string alignment), for "did you mean" hints.</summary>
    static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
