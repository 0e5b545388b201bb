using System.Text.RegularExpressions;
using Syndication.Config;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>Editors learn the format from the README, so every JSON example in it must be accepted by check.</summary>
public sealed partial class ReadmeTests
{
    const string Wrapper = """
        { "feeds": [ { "id": "pakistan-today", "url": "https://www.pakistantoday.com.pk/feed/", "tags": ["pakistan"] } ],
          "channels": [ CHANNEL ],
          "rules": [ RULE ] }
        """;
    const string DefaultChannels = """{ "id": "security-desk", "chat": "@security_desk_alerts" }, { "id": "economy-desk", "chat": "-1001234567890" }""";
    const string DefaultRule = """{ "id": "r", "channels": ["security-desk"], "anyOf": ["x"] }""";

    public static TheoryData<string> Examples()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var data = new TheoryData<string>();
        foreach (Match block in JsonBlock().Matches(readme)) data.Add(block.Groups[1].Value.Trim());
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_json_example_in_the_readme_is_a_valid_config_or_fragment(string example)
    {
        var json = example.Contains("\"feeds\": [") && example.Contains("\"rules\": [") ? example
            : example.Contains("\"chat\"") ? Wrapper.Replace("CHANNEL", example + ", " + DefaultChannels.Split("}, ")[1]).Replace("RULE", DefaultRule)
            : Wrapper.Replace("CHANNEL", DefaultChannels).Replace("RULE", example);

        ConfigParser.Parse(json, "README example");
    }

    [Fact]
    public void The_readme_has_rule_examples_to_check() => Assert.True(Examples().Count >= 5);

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
