using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Syndication.Config;

/// <summary>
/// The configuration language's one definition of shape: the shipped JSON Schema (<c>schema/syndication.schema.json</c>,
/// built into this assembly), which editors' tools read for completion. Every field list, pattern, choice, range and
/// length the parser checks is read from it here, so the two cannot disagree. The parser adds what a schema cannot say:
/// JSON paths in plain words with "did you mean", references between feeds, channels and rules, terms, time zones,
/// templates, digest schedules.
/// </summary>
public enum ConfigKind { Config, Feed, Channel, Rule, Editor, Alerts, Digest, QuietHours, Growing }

public static class ConfigSchema
{
    static readonly JsonNode Root = Load();
    static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>Where each kind of object is defined in the schema, as a JSON pointer.</summary>
    public static string Pointer(ConfigKind kind) => kind switch
    {
        ConfigKind.Feed => "/definitions/feed",
        ConfigKind.Channel => "/definitions/channel",
        ConfigKind.Rule => "/definitions/rule",
        ConfigKind.Editor => "/properties/editors/items",
        ConfigKind.Alerts => "/properties/alerts",
        ConfigKind.Digest => "/definitions/channel/properties/digest",
        ConfigKind.QuietHours => "/definitions/channel/properties/quietHours",
        ConfigKind.Growing => "/definitions/channel/properties/growing",
        _ => "",
    };

    /// <summary>A field of a kind of object, as a JSON pointer.</summary>
    public static string Property(ConfigKind kind, string field) => $"{Pointer(kind)}/properties/{field}";

    /// <summary>The fields an object of this kind may have, as the schema lists them.</summary>
    public static string[] Fields(ConfigKind kind) => [.. Node(Pointer(kind))["properties"]!.AsObject().Select(p => p.Key)];

    /// <summary>A field's pattern, compiled once.</summary>
    public static Regex Pattern(string pointer) =>
        Patterns.GetOrAdd(pointer, p => new Regex(Keyword(p, "pattern").GetValue<string>(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    /// <summary>The values a field may take, in the schema's order.</summary>
    public static string[] Choices(string pointer) => [.. Keyword(pointer, "enum").AsArray().Select(v => v!.GetValue<string>())];

    /// <summary>A whole number's smallest and largest allowed values; <see cref="int.MaxValue"/> when the schema sets no maximum.</summary>
    public static (int Min, int Max) Range(string pointer) =>
        (Keyword(pointer, "minimum").GetValue<int>(), Node(pointer)["maximum"]?.GetValue<int>() ?? int.MaxValue);

    /// <summary>A string's longest allowed length.</summary>
    public static int MaxLength(string pointer) => Keyword(pointer, "maxLength").GetValue<int>();

    /// <summary>Whether <paramref name="value"/> is one of the field's choices, matched exactly as the schema does.</summary>
    public static bool IsChoice(string pointer, string value) => Choices(pointer).Contains(value, StringComparer.Ordinal);

    /// <summary>"one of a, b, c": how an error names a field's choices.</summary>
    public static string OneOf(string pointer) => "one of " + string.Join(", ", Choices(pointer));

    /// <summary>The schema node at a JSON pointer, following a <c>$ref</c> where the node is one.</summary>
    static JsonNode Node(string pointer)
    {
        var node = Root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = node[part] ?? throw new InvalidOperationException($"The schema has nothing at {pointer}");
        return node["$ref"]?.GetValue<string>() is { } reference ? Node(reference.TrimStart('#')) : node;
    }

    static JsonNode Keyword(string pointer, string keyword) =>
        Node(pointer)[keyword] ?? throw new InvalidOperationException($"The schema gives no {keyword} at {pointer}");

    static JsonNode Load()
    {
        using var stream = typeof(ConfigSchema).Assembly.GetManifestResourceStream("syndication.schema.json")
            ?? throw new InvalidOperationException("The configuration schema is not built into the assembly");
        return JsonNode.Parse(stream) ?? throw new InvalidOperationException("The configuration schema is empty");
    }
}
