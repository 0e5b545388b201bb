using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Syndication.Config;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The JSON Schema editors get completion from is the one definition of the configuration's shape: the parser reads its
/// fields, patterns, choices and ranges from it, and these tests check, from the schema itself, that both accept and
/// refuse the same values.
/// </summary>
public sealed class SchemaTests
{
    static readonly string SchemaPath = Path.Combine(Repo.Root, "schema", "syndication.schema.json");
    static readonly JsonSchema Schema = JsonSchema.FromFile(SchemaPath);
    static readonly JsonNode SchemaJson = JsonNode.Parse(File.ReadAllText(SchemaPath))!;

    static bool SchemaAccepts(string json) =>
        Schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List }).IsValid;

    [Fact]
    public void The_sample_configuration_is_valid_for_the_schema_and_the_parser()
    {
        var sample = File.ReadAllText(Path.Combine(Repo.Root, "samples", "syndication.json"));

        Assert.True(SchemaAccepts(sample));
        ConfigParser.Parse(sample, "sample");
    }

    /// <summary>A configuration every check passes, and where each kind of object sits in it.</summary>
    const string Valid = """
        { "feeds": [ { "id": "f", "url": "https://x.example/" } ],
          "channels": [ { "id": "c", "chat": "@desk_1", "digest": { "every": "1h" }, "quietHours": { "from": "23:00", "to": "07:00" } } ],
          "rules": [ { "id": "r", "channels": ["c"], "anyOf": ["x"] } ],
          "alerts": { "chat": "@desk_1" },
          "editors": [ { "user": 1, "name": "Ayesha" } ] }
        """;

    static readonly Dictionary<string, (ConfigKind Kind, string[] Path)> Kinds = new()
    {
        ["Config"] = (ConfigKind.Config, []),
        ["Feed"] = (ConfigKind.Feed, ["feeds", "0"]),
        ["Channel"] = (ConfigKind.Channel, ["channels", "0"]),
        ["Rule"] = (ConfigKind.Rule, ["rules", "0"]),
        ["Editor"] = (ConfigKind.Editor, ["editors", "0"]),
        ["Alerts"] = (ConfigKind.Alerts, ["alerts"]),
        ["Digest"] = (ConfigKind.Digest, ["channels", "0", "digest"]),
        ["QuietHours"] = (ConfigKind.QuietHours, ["channels", "0", "quietHours"]),
    };

    public static TheoryData<string> KindNames => [.. Kinds.Keys];

    /// <summary>The valid configuration with one field of one object set; its JSON and the field's JSON path as errors name it.</summary>
    static (string Json, string Path) With(string kind, string field, JsonNode? value)
    {
        var root = JsonNode.Parse(Valid)!;
        var target = Kinds[kind].Path.Aggregate(root, (node, part) => int.TryParse(part, out var i) ? node[i]! : node[part]!);
        target[field] = value;
        var path = string.Concat(Kinds[kind].Path.Select((part, i) => int.TryParse(part, out _) ? $"[{part}]" : (i == 0 ? part : "." + part)));
        return (root.ToJsonString(), path.Length == 0 ? field : $"{path}.{field}");
    }

    static IReadOnlyList<ConfigError> ParserErrors(string json)
    {
        try
        {
            ConfigParser.Parse(json, "test");
            return [];
        }
        catch (ConfigException ex)
        {
            return ex.Errors;
        }
    }

    [Fact]
    public void The_valid_configuration_is_valid_for_both()
    {
        Assert.True(SchemaAccepts(Valid));
        Assert.Empty(ParserErrors(Valid));
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Every_field_the_schema_names_is_known_to_the_parser_and_no_other(string kind)
    {
        var definition = SchemaNode(ConfigSchema.Pointer(Kinds[kind].Kind));
        foreach (var field in definition["properties"]!.AsObject().Select(p => p.Key))
            Assert.DoesNotContain(ParserErrors(With(kind, field, JsonValue.Create(true)).Json), e => e.Message.StartsWith("unknown field", StringComparison.Ordinal));

        var (json, path) = With(kind, "zzNotAField", JsonValue.Create(true));
        Assert.False(SchemaAccepts(json));
        Assert.Contains(ParserErrors(json), e => e.Path == path && e.Message == "unknown field 'zzNotAField'");
        Assert.False(definition["additionalProperties"]!.GetValue<bool>());
    }

    /// <summary>Every field with choices or a range, from the schema: (kind, field, its definition).</summary>
    public static TheoryData<string, string> Constrained
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (name, (kind, _)) in Kinds)
                foreach (var (property, value) in SchemaNode(ConfigSchema.Pointer(kind))["properties"]!.AsObject())
                    if (Resolve(value!) is var d && (d["enum"] is not null || d["minimum"] is not null)) data.Add(name, property);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Constrained))]
    public void Each_choice_and_range_in_the_schema_is_the_one_the_parser_enforces(string kind, string field)
    {
        var definition = Resolve(SchemaNode(ConfigSchema.Pointer(Kinds[kind].Kind))["properties"]![field]!);
        var (accepted, refused) = definition["enum"] is JsonArray choices
            ? (choices.Select(c => JsonValue.Create(c!.GetValue<string>())).ToList(), new List<JsonValue> { JsonValue.Create("zz-none-of-these"), JsonValue.Create(choices[0]!.GetValue<string>().ToUpperInvariant()) })
            : RangeValues(definition);

        foreach (var value in accepted)
        {
            var (json, path) = With(kind, field, value);
            Assert.True(SchemaAccepts(json), $"{path} = {value}");
            Assert.DoesNotContain(ParserErrors(json), e => e.Path == path);
        }
        foreach (var value in refused)
        {
            var (json, path) = With(kind, field, value);
            Assert.False(SchemaAccepts(json), $"{path} = {value}");
            Assert.Contains(ParserErrors(json), e => e.Path == path);
        }
    }

    static (List<JsonValue> Accepted, List<JsonValue> Refused) RangeValues(JsonNode definition)
    {
        var min = definition["minimum"]!.GetValue<int>();
        var max = definition["maximum"]?.GetValue<int>();
        List<JsonValue> accepted = [JsonValue.Create(min), JsonValue.Create(min + 1)];
        List<JsonValue> refused = [JsonValue.Create(min - 1), JsonValue.Create(min + 0.5)];
        if (max is { } top)
        {
            accepted.Add(JsonValue.Create(top));
            refused.Add(JsonValue.Create(top + 1));
        }
        return (accepted, refused);
    }

    static JsonNode SchemaNode(string pointer) =>
        pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate(SchemaJson, (node, part) => node[part]!);

    static JsonNode Resolve(JsonNode node) =>
        node["$ref"]?.GetValue<string>() is { } reference ? Resolve(SchemaNode(reference.TrimStart('#'))) : node;

    [Fact]
    public void The_parser_keeps_no_pattern_of_its_own()
    {
        var config = Path.Combine(Repo.Root, "functions", "Syndication", "Config");
        foreach (var file in Directory.GetFiles(config, "ConfigParser*.cs"))
        {
            var code = File.ReadAllText(file);
            Assert.DoesNotContain("GeneratedRegex", code);
            Assert.DoesNotContain("Regex.Match(", code);
            Assert.DoesNotContain("new Regex(", code);
        }
    }

    [Theory]
    [InlineData("""{ "feeds": [], "channels": [], "rules": [ { "id": "r", "channels": ["c"], "anyof": ["x"] } ] }""")]
    [InlineData("""{ "feeds": [ { "id": "f", "url": "ftp://x.example/" } ], "channels": [], "rules": [] }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "c", "chat": "desk" } ], "rules": [] }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "c", "chat": "@desk_1" } ], "rules": [ { "id": "r", "channels": ["c"], "noneOf": ["x"] } ] }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "c", "chat": "@desk_1" } ], "rules": [ { "id": "r", "channels": ["c"], "anyOf": ["x"], "fields": ["body"] } ] }""")]
    [InlineData("""{ "feeds": [ { "id": "f", "url": "https://x.example/", "backfill": -1 } ], "channels": [], "rules": [] }""")]
    [InlineData("""{ "feeds": [ { "id": "-f", "url": "https://x.example/" } ], "channels": [], "rules": [] }""")]
    [InlineData("""{ "feeds": [], "channels": [], "rules": [], "alerts": { "chat": "@abc" } }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "c", "chat": "@desk_1", "digest": { "every": "1d" } } ], "rules": [] }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "c", "chat": "@desk_1", "quietHours": { "from": "24:00", "to": "07:00" } } ], "rules": [] }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "c", "chat": "@desk_1", "quietHours": { "from": "7:00", "to": "08:00" } } ], "rules": [] }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "Person-42", "chat": "@desk_1" } ], "rules": [] }""")]
    public void Mistakes_are_caught_by_both_the_schema_and_check(string json)
    {
        Assert.False(SchemaAccepts(json));
        Assert.Throws<ConfigException>(() => ConfigParser.Parse(json, "test"));
    }
}
