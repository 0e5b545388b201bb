using System.Text.RegularExpressions;
using Syndication.Cli;
using Syndication.Config;
using Syndication.Hosting;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The README and the reference in <c>docs/</c> stay true: every JSON example is accepted by check, every
/// <c>syndication</c> command parses, every script, setting and link exists, every setting is in the table, and the
/// README stays short enough to read in five minutes.
/// </summary>
public sealed partial class ReadmeTests
{
    const string Wrapper = """
        { "feeds": [ { "id": "pakistan-today", "url": "https://www.pakistantoday.com.pk/feed/", "tags": ["pakistan"] } ],
          "channels": [ CHANNEL ],
          "rules": [ RULE ] }
        """;
    const string DefaultChannels = """{ "id": "security-desk", "chat": "@security_desk_alerts" }, { "id": "economy-desk", "chat": "-1001234567890" }""";
    const string DefaultRule = """{ "id": "r", "channels": ["security-desk"], "anyOf": ["x"] }""";

    /// <summary>The README and every page of the reference, by their path from the repository's root.</summary>
    static IReadOnlyDictionary<string, string> Documents { get; } =
        new[] { "README.md" }.Concat(Directory.EnumerateFiles(Path.Combine(Repo.Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Repo.Root, f)))
            .ToDictionary(p => p.Replace('\\', '/'), p => File.ReadAllText(Path.Combine(Repo.Root, p)));

    static string Readme => Documents["README.md"];

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, text) in Documents)
            foreach (Match block in JsonBlock().Matches(text)) data.Add(path, block.Groups[1].Value.Trim());
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_json_example_is_a_valid_config_or_fragment(string document, string example)
    {
        var json = example.Contains("\"feeds\": [") && example.Contains("\"rules\": [") ? example
            : example.Contains("\"chat\"") ? Wrapper.Replace("CHANNEL", example + ", " + DefaultChannels.Split("}, ")[1]).Replace("RULE", DefaultRule)
            : Wrapper.Replace("CHANNEL", DefaultChannels).Replace("RULE", example);

        ConfigParser.Parse(json, $"an example in {document}");
    }

    [Fact]
    public void The_docs_have_rule_examples_to_check() => Assert.True(Examples().Count >= 6);

    /// <summary>Every <c>syndication …</c> command written in a code block or in backticks, with the document it is in.</summary>
    public static TheoryData<string, string> Commands()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, text) in Documents)
            foreach (var code in CodeBlock().Matches(text).Select(m => m.Groups[1].Value).Concat(InlineCode().Matches(text).Select(m => m.Groups[1].Value)))
                foreach (var line in code.Split('\n'))
                    if (CommandLine().Match(line) is { Success: true } command)
                        data.Add(path, command.Groups[1].Value.Split(" #")[0].Trim());
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_documented_command_parses(string document, string command)
    {
        var parsed = CliCommands.Build().Parse(Words(command));

        Assert.True(parsed.Errors.Count == 0, $"{document}: 'syndication {command}': {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
    }

    [Fact]
    public void Every_verb_is_documented_with_an_example()
    {
        var documented = Commands().Select(row => ((string)row[1]).Split(' ')[0]).ToHashSet();

        Assert.All(CliCommands.Build().Subcommands.Select(c => c.Name), verb => Assert.Contains(verb, documented));
    }

    [Fact]
    public void Every_script_a_document_names_exists()
    {
        var scripts = Documents.SelectMany(d => ScriptPath().Matches(d.Value).Select(m => (Document: d.Key, Script: m.Value))).ToList();

        Assert.Contains(scripts, s => s.Script == "scripts/local.sh");
        Assert.All(scripts, s => Assert.True(File.Exists(Path.Combine(Repo.Root, s.Script)), $"{s.Document} names {s.Script}, which does not exist"));
    }

    [Fact]
    public void Every_setting_is_in_the_settings_table_and_every_setting_named_exists()
    {
        var settings = SettingsSection.All.SelectMany(s => s.Settings.Select(p => s.NameOf(p.Name))).ToHashSet();
        var table = Documents["docs/operations.md"].Split('\n').Where(l => l.StartsWith("| `")).Select(l => l.Split('`')[1]).ToHashSet();
        var named = Documents.SelectMany(d => SettingName().Matches(d.Value).Where(m => !d.Value[m.Index..].StartsWith(m.Value + " is not a setting"))
            .Select(m => (Document: d.Key, Setting: m.Value))).ToList();

        Assert.All(settings, s => Assert.Contains(s, table));
        Assert.All(named, n => Assert.True(settings.Contains(n.Setting), $"{n.Document} names {n.Setting}, which is not a setting"));
    }

    [Fact]
    public void Every_link_between_the_documents_leads_somewhere()
    {
        foreach (var (path, text) in Documents)
            foreach (Match link in Link().Matches(text))
            {
                var target = link.Groups[1].Value;
                if (target.StartsWith("http", StringComparison.Ordinal)) continue;
                var (file, anchor) = target.Split('#', 2) is [var f, var a] ? (f, a) : (target, null);
                var resolved = file.Length == 0 ? path : Path.GetRelativePath(Repo.Root, Path.GetFullPath(Path.Combine(Repo.Root, Path.GetDirectoryName(path)!, file))).Replace('\\', '/');
                Assert.True(File.Exists(Path.Combine(Repo.Root, resolved)) || Directory.Exists(Path.Combine(Repo.Root, resolved)), $"{path} links to {target}, which does not exist");
                if (anchor is null) continue;
                var headings = Heading().Matches(File.ReadAllText(Path.Combine(Repo.Root, resolved))).Select(h => Slug(h.Groups[1].Value));
                Assert.True(headings.Contains(anchor), $"{path} links to {target}, but {resolved} has no heading '{anchor}'");
            }
    }

    [Fact]
    public void The_readme_reads_in_five_minutes()
    {
        Assert.InRange(Readme.Split('\n').Length, 1, 300);
        Assert.True(Readme.Split(' ', '\n').Count(w => w.Length > 0) < 2_000, "the README has more than 2,000 words");
    }

    [Fact]
    public void Ci_runs_the_readmes_test_command_exactly()
    {
        var commands = Regex.Match(Readme, "## The two commands.*?```bash\\n(.*?)```", RegexOptions.Singleline).Groups[1].Value
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('#')[0].Trim()).ToList();

        Assert.Equal(["bash scripts/sweep.sh", "bash scripts/test.sh"], commands);
        Assert.Contains("\nbash scripts/test.sh\n", File.ReadAllText(Path.Combine(Repo.Root, ".ci", "run")));
    }

    /// <summary>A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens.</summary>
    static string Slug(string heading) =>
        string.Concat(heading.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_')).Replace(' ', '-');

    /// <summary>A command line split as the shell splits it, quotes taken off.</summary>
    static string[] Words(string line) =>
        [.. ShellWord().Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Success ? m.Groups[2].Value : m.Value)];

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex("```(?:bash)?\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("`([^`\\n]+)`")]
    private static partial Regex InlineCode();

    /// <summary>A line that runs the command (after any settings given to it), not one that mentions it.</summary>
    [GeneratedRegex(@"^(?:\s*[A-Za-z_]+(?:__[A-Za-z]+)*=\S*\s+)*\s*syndication\s+([a-z].*)$")]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"scripts/[a-z/\-]+\.sh")]
    private static partial Regex ScriptPath();

    [GeneratedRegex(@"\b(Syndication|Telegram|Delivery)__[A-Za-z]+")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"'([^']*)'|""([^""]*)""|\S+")]
    private static partial Regex ShellWord();
}
