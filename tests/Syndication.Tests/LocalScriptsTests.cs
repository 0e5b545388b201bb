using System.Diagnostics;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The local storage is reachable from every verb: <c>scripts/local.sh VERB</c> runs against what <c>scripts/sweep.sh</c>
/// stored, shares one Azurite between runs and stops it after the last; paths are read from where the person stands; and
/// the <c>syndication</c> command installs from the clone as a .NET tool.
/// </summary>
public sealed class LocalScriptsTests : IAsyncLifetime
{
    TestApp app = null!;
    readonly string data = Directory.CreateTempSubdirectory("syndication-test-local-").FullName;
    readonly string elsewhere = Directory.CreateTempSubdirectory("syndication-test-cwd-").FullName;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        Directory.Delete(data, recursive: true);
        Directory.Delete(elsewhere, recursive: true);
    }

    Dictionary<string, string> Local => new() { ["SYNDICATION_LOCAL_DATA"] = data };

    object Config() => new
    {
        feeds = new[] { new { id = "pt", url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(TestClock.Start.AddHours(-1)))), backfill = 1 } },
        channels = new[] { new { id = "desk", chat = "@security_desk" } },
        rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
    };

    [Fact]
    public async Task Any_verb_runs_against_what_the_sweep_stored_with_paths_read_from_where_you_stand()
    {
        File.WriteAllText(Path.Combine(elsewhere, "my.json"), System.Text.Json.JsonSerializer.Serialize(Config()));

        // Before, sweep.sh read --config against the repository, and nothing reached its storage afterwards.
        var sweep = await CliProcess.RunScriptAsync(app, elsewhere, Local, Path.Combine(Repo.Root, "scripts", "sweep.sh"), "--config", "my.json");
        var status = await CliProcess.RunScriptAsync(app, elsewhere, Local, Path.Combine(Repo.Root, "scripts", "local.sh"), "status", "--config", "my.json", "--json");

        Assert.True(sweep.ExitCode == 0, sweep.Errors);
        Assert.Single(app.Bot.Messages);
        Assert.True(status.ExitCode == 0, status.Errors);
        Assert.Contains("\"articlesStored\": 1", status.Output);
        Assert.False(File.Exists(Path.Combine(data, "azurite.pid"))); // each run stopped the Azurite it started
        Assert.DoesNotContain("Using the Azurite at 127.0.0.1:10000", sweep.Errors + status.Errors); // its own storage, never the shared default
    }

    [Fact]
    public async Task A_missing_configuration_cannot_be_read_and_is_not_called_invalid()
    {
        var sweep = await CliProcess.RunScriptAsync(app, elsewhere, Local, Path.Combine(Repo.Root, "scripts", "sweep.sh"), "--config", "missing.json");

        Assert.Equal(2, sweep.ExitCode);
        Assert.Contains($"The configuration file '{Path.Combine(elsewhere, "missing.json")}' cannot be read: there is no such file.", sweep.Errors);
        Assert.DoesNotContain("invalid", sweep.Errors);
    }

    [Fact]
    public async Task Two_local_runs_share_one_azurite_and_the_last_to_finish_stops_it()
    {
        File.WriteAllText(Path.Combine(elsewhere, "my.json"), System.Text.Json.JsonSerializer.Serialize(Config()));
        var listening = CliProcess.RunScriptAsync(app, elsewhere, Local, Path.Combine(Repo.Root, "scripts", "local.sh"), "listen", "--for", "8s");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(data, "azurite.pid")) && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
        var azurite = int.Parse(File.ReadAllText(Path.Combine(data, "azurite.pid")));
        var status = await CliProcess.RunScriptAsync(app, elsewhere, Local, Path.Combine(Repo.Root, "scripts", "local.sh"), "status", "--config", "my.json");
        var stillServing = IsRunning(azurite);
        var listened = await listening;

        Assert.True(status.ExitCode == 0, status.Errors);
        Assert.Contains("Using the local Azurite already serving", status.Errors);
        Assert.True(stillServing); // status finished first, and left the listener's Azurite alone
        Assert.True(listened.ExitCode == 0, listened.Errors);
        Assert.False(IsRunning(azurite)); // the last run stopped it
        Assert.False(File.Exists(Path.Combine(data, "azurite.pid")));
    }

    static bool IsRunning(int pid)
    {
        try
        {
            return !Process.GetProcessById(pid).HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [Fact]
    public async Task The_syndication_command_installs_from_the_clone_as_a_dotnet_tool()
    {
        // A home of its own, so the test installs nothing for the person running it.
        var home = Path.Combine(elsewhere, "home");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home, ["NUGET_PACKAGES"] = Path.Combine(home, "packages"), ["DOTNET_CLI_HOME"] = home,
            ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["SYNDICATION_INSTALL_NO_BUILD"] = "1", ["SYNDICATION_INSTALL_CONFIGURATION"] = Repo.Configuration,
        };

        var install = await CliProcess.RunScriptAsync(app, elsewhere, environment, Path.Combine(Repo.Root, "scripts", "install.sh"));
        var tool = Path.Combine(home, ".dotnet", "tools", "syndication");
        var help = await CliProcess.RunScriptAsync(app, elsewhere, environment, "-c", $"'{tool}' --help");
        var check = await CliProcess.RunScriptAsync(app, elsewhere, environment, "-c", $"'{tool}' check --config '{Path.Combine(Repo.Root, "samples", "syndication.json")}'");

        Assert.True(install.ExitCode == 0, install.Output + install.Errors);
        Assert.Contains("Installed syndication 1.0.0-local.", install.Output);
        Assert.Contains("export PATH=", install.Output); // the tools folder is not on this PATH, and it says how to add it
        Assert.Contains("syndication [command] [options]", help.Output); // before: Syndication.Cli [command] [options]
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("Configuration is valid", check.Output);
    }
}
