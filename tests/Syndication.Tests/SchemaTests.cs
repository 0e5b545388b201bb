using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Syndication.Config;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>The JSON Schema editors get completion from must describe the same language the parser accepts.</summary>
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

    /// <summary>Every kind of object in the configuration, where the schema defines it, and the fields the parser knows for it.</summary>
    public static TheoryData<string> Kinds => ["Root", "Feed", "Channel", "Rule", "Editor", "Alerts", "Digest", "QuietHours"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_schema_names_exactly_the_fields_the_parser_knows_for_every_kind_of_object(string kind)
    {
        var (definition, known) = kind switch
        {
            "Root" => (SchemaJson, ConfigParser.RootFields),
            "Feed" => (SchemaJson["definitions"]!["feed"]!, ConfigParser.FeedFields),
            "Channel" => (SchemaJson["definitions"]!["channel"]!, ConfigParser.ChannelFields),
            "Rule" => (SchemaJson["definitions"]!["rule"]!, ConfigParser.RuleFields),
            "Editor" => (SchemaJson["properties"]!["editors"]!["items"]!, ConfigParser.EditorFields),
            "Alerts" => (SchemaJson["properties"]!["alerts"]!, ConfigParser.AlertsFields),
            "Digest" => (SchemaJson["definitions"]!["channel"]!["properties"]!["digest"]!, ConfigParser.DigestFields),
            _ => (SchemaJson["definitions"]!["channel"]!["properties"]!["quietHours"]!, ConfigParser.QuietHoursFields),
        };

        Assert.Equal(known.Order(), definition["properties"]!.AsObject().Select(p => p.Key).Order());
        Assert.False(definition["additionalProperties"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{ "feeds": [], "channels": [], "rules": [ { "id": "r", "channels": ["c"], "anyof": ["x"] } ] }""")]
    [InlineData("""{ "feeds": [ { "id": "f", "url": "ftp://x.example/" } ], "channels": [], "rules": [] }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "c", "chat": "desk" } ], "rules": [] }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "c", "chat": "@desk_1" } ], "rules": [ { "id": "r", "channels": ["c"], "noneOf": ["x"] } ] }""")]
    [InlineData("""{ "feeds": [], "channels": [ { "id": "c", "chat": "@desk_1" } ], "rules": [ { "id": "r", "channels": ["c"], "anyOf": ["x"], "fields": ["body"] } ] }""")]
    [InlineData("""{ "feeds": [ { "id": "f", "url": "https://x.example/", "backfill": -1 } ], "channels": [], "rules": [] }""")]
    public void Mistakes_are_caught_by_both_the_schema_and_check(string json)
    {
        Assert.False(SchemaAccepts(json));
        Assert.Throws<ConfigException>(() => ConfigParser.Parse(json, "test"));
    }
}
