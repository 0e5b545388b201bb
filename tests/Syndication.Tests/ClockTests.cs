using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Hosting;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The suite passes on any date. The app reads the date only from its injected clock; a process a test starts reads the
/// test's clock (<c>Syndication__Now</c>); and a test that starts the app dates its data from <see cref="TestClock"/>,
/// never with a date written in. <c>scripts/test.sh</c> runs the date-sensitive classes again a year ahead.
/// </summary>
public sealed partial class ClockTests
{
    static IEnumerable<string> Sources(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Repo.Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    [Fact]
    public void The_app_reads_the_date_only_from_its_injected_clock()
    {
        var readers = Sources("functions")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(Repo.Root, f), Line: i + 1, Text: line)))
            .Where(l => WallClock().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}");

        Assert.Empty(readers);
    }

    [Fact]
    public void Every_process_a_test_starts_that_runs_the_app_gets_the_tests_clock()
    {
        // Azurite and the Bicep CLI are not the app; the in-test Functions host starts the worker with its caller's settings.
        var notTheApp = new[] { "Azurite.cs", "InfraTests.cs", "FunctionsHost.cs" };
        var launchers = Sources("tests/Syndication.Tests")
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("new ProcessStartInfo(") || text.Contains("FunctionsHost.StartAsync("))
                && !notTheApp.Contains(Path.GetFileName(f)))
            .ToList();

        Assert.NotEmpty(launchers);
        Assert.All(launchers, f => Assert.True(
            File.ReadAllText(f) is var text && (text.Contains("ProcessSettings()") || text.Contains("Syndication__Now")),
            $"{Path.GetFileName(f)} starts a process without the test's clock: pass TestApp.ProcessSettings() or Syndication__Now"));
    }

    [Fact]
    public void A_test_that_starts_the_app_dates_its_data_from_the_test_clock()
    {
        var written = new List<string>();
        foreach (var file in Sources("tests/Syndication.Tests"))
        {
            var text = File.ReadAllText(file);
            if (!text.Contains("TestApp.StartAsync(") && !text.Contains("CliProcess.")) continue;
            // The class's fields, then each test with its attributes; a pure test of a formatter or a schedule may keep a date of its own.
            var parts = TestStart().Split(text);
            var scanned = parts.Take(1).Concat(parts.Skip(1).Where(test => test.Contains("app.") || test.Contains("CliProcess")));
            written.AddRange(scanned.SelectMany(part => DateLiteral().Matches(part)).Select(m => $"{Path.GetFileName(file)}: {m.Value}"));
            // Data dated by the machine's clock is as bad as a date written in, unless the app runs on that clock too.
            written.AddRange(scanned.SelectMany(part => part.Split('\n')).Where(line => SystemDate().IsMatch(line) && !line.Contains("realClock"))
                .Select(line => $"{Path.GetFileName(file)}: {line.Trim()}"));
        }

        Assert.Empty(written);
    }

    [Fact]
    public void Syndication__Now_starts_the_apps_clock_there_and_it_runs_on()
    {
        var now = new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Syndication:Now"] = now.ToString("O") }).Build();
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddSyndication(configuration).BuildServiceProvider();

        var clock = services.GetRequiredService<TimeProvider>();
        var first = clock.GetUtcNow();
        Thread.Sleep(20);

        Assert.InRange(first - now, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.True(clock.GetUtcNow() > first);
    }

    [Fact]
    public void Without_Syndication__Now_the_app_runs_on_the_system_clock()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddSyndication(configuration).BuildServiceProvider();

        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
    }

    [GeneratedRegex(@"\bDateTime(Offset)?\.(UtcNow|Now|Today)\b")]
    private static partial Regex WallClock();

    [GeneratedRegex(@"\bDateTimeOffset\.(UtcNow|Now)\b")]
    private static partial Regex SystemDate();

    [GeneratedRegex(@"\n\s*\[(Fact|Theory)\b")]
    private static partial Regex TestStart();

    /// <summary>A date written in as data: <c>new DateTimeOffset(2026, …</c>, <c>new(2026, 11, 28, …</c> or <c>"2026-11-28…"</c>. (A fixture file keeps its own dates.)</summary>
    [GeneratedRegex(@"new\s*(DateTime(Offset)?)?\(\s*(19|20)\d\d\s*,\s*\d|""(19|20)\d\d-\d\d-\d\d")]
    private static partial Regex DateLiteral();
}
