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
    public async Task Every_verb_runs_against_the_sweeps_storage_from_where_you_stand_sharing_one_azurite_that_the_last_run_stops()
    {
        File.WriteAllText(Path.Combine(elsewhere, "my.json"), System.Text.Json.JsonSerializer.Serialize(Config()));
        Task<CliResult> Local(params string[] args) => CliProcess.RunScriptAsync(app, elsewhere, this.Local, [Path.Combine(Repo.Root, "scripts", "local.sh"), .. args]);
        Task<CliResult> Sweep(params string[] args) => CliProcess.RunScriptAsync(app, elsewhere, this.Local, [Path.Combine(Repo.Root, "scripts", "sweep.sh"), .. args]);

        // A listener starts the local Azurite; every run after it shares that one.
        var listening = Local("listen", "--for", "15s");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(data, "azurite.pid")) && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
        var azurite = int.Parse(File.ReadAllText(Path.Combine(data, "azurite.pid")));
        // Before, sweep.sh read --config against the repository, and no other verb reached its storage.
        var sweep = await Sweep("--config", "my.json");
        var status = await Local("status", "--config", "my.json", "--json");
        var missing = await Sweep("--config", "missing.json");
        var stillServing = IsRunning(azurite);
        var listened = await listening;

        Assert.True(sweep.ExitCode == 0, sweep.Errors);
        Assert.Single(app.Bot.Messages);
        Assert.True(status.ExitCode == 0, status.Errors);
        Assert.Contains("\"articlesStored\": 1", status.Output);
        Assert.All(new[] { sweep, status, missing }, r => Assert.Contains("Using the local Azurite already serving", r.Errors));
        Assert.DoesNotContain("Using the Azurite at 127.0.0.1:10000", sweep.Errors + status.Errors); // its own storage, never the shared default
        // A missing file cannot be read; it is not called invalid.
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"The configuration file '{Path.Combine(elsewhere, "missing.json")}' cannot be read: there is no such file.", missing.Errors);
        Assert.DoesNotContain("invalid", missing.Errors);
        // The runs that finished first left the listener's Azurite alone, and the listener, the last, stopped it.
        Assert.True(stillServing);
        Assert.True(listened.ExitCode == 0, listened.Errors);
        Assert.False(IsRunning(azurite));
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
