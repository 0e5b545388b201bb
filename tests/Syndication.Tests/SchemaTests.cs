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

    [Theory]
    [InlineData("$", "Root")]
    [InlineData("feed", "Feed")]
    [InlineData("channel", "Channel")]
    [InlineData("rule", "Rule")]
    public void The_schema_names_exactly_the_fields_the_parser_knows(string definition, string parserList)
    {
        var properties = (definition == "$" ? SchemaJson : SchemaJson["definitions"]![definition]!)["properties"]!.AsObject().Select(p => p.Key);
        var known = parserList switch
        {
            "Root" => ConfigParser.RootFields,
            "Feed" => ConfigParser.FeedFields,
            "Channel" => ConfigParser.ChannelFields,
            _ => ConfigParser.RuleFields,
        };

        Assert.Equal(known.Order(), properties.Order());
        Assert.False((definition == "$" ? SchemaJson : SchemaJson["definitions"]![definition]!)["additionalProperties"]!.GetValue<bool>());
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
