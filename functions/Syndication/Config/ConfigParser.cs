using System.Text.Json;
using System.Text.RegularExpressions;
using Syndication.Storage;
using Syndication.Syntax;

namespace Syndication.Config;

/// <summary>
/// Reads and validates <c>syndication.json</c>. It walks the JSON by hand instead of deserialising it, so that it can
/// report every problem at once, each with its JSON path, and reject unknown fields so a typo never silently disables a rule.
/// </summary>
public static partial class ConfigParser
{
    // The fields of each kind of object, as the schema lists them.
    static readonly string[] RootFields = ConfigSchema.Fields(ConfigKind.Config);
    static readonly string[] EditorFields = ConfigSchema.Fields(ConfigKind.Editor);
    static readonly string[] AlertsFields = ConfigSchema.Fields(ConfigKind.Alerts);
    static readonly string[] FeedFields = ConfigSchema.Fields(ConfigKind.Feed);
    static readonly string[] ChannelFields = ConfigSchema.Fields(ConfigKind.Channel);
    static readonly string[] DigestFields = ConfigSchema.Fields(ConfigKind.Digest);
    static readonly string[] GrowingFields = ConfigSchema.Fields(ConfigKind.Growing);
    static readonly string[] QuietHoursFields = ConfigSchema.Fields(ConfigKind.QuietHours);
    static readonly string[] RuleFields = ConfigSchema.Fields(ConfigKind.Rule);

    static Regex IdPattern() => ConfigSchema.Pattern("/definitions/id");

    /// <summary>Telegram usernames are 5 to 32 characters of letters, digits and underscores; numeric ids may be negative (groups, channels).</summary>
    static Regex ChatPattern() => ConfigSchema.Pattern("/definitions/chat");

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
        var subscriptions = ReadChoice(root, "subscriptions", "", "/properties/subscriptions", errors) is { } mode ? Enum.Parse<SubscriptionMode>(mode, ignoreCase: true) : SubscriptionMode.Off;
        return new(feeds, channels, rules) { AlertsChat = alertsChat, Editors = editors, Subscriptions = subscriptions };
    }
}
