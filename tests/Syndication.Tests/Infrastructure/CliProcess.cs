using System.Diagnostics;

namespace Syndication.Tests.Infrastructure;

sealed record CliResult(int ExitCode, string Output, string Errors);

/// <summary>Runs the built <c>syndication</c> CLI as a real process, with the test app's settings as environment variables.</summary>
static class CliProcess
{
    public static async Task<CliResult> RunAsync(TestApp app, Dictionary<string, string> overrides, params string[] args)
    {
        var cli = Path.Combine(Repo.Root, "functions", "Syndication.Cli", "bin", Repo.Configuration, "net10.0", "Syndication.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in app.Settings)
            start.Environment[key.Replace(":", "__")] = value;
        foreach (var (key, value) in overrides)
            start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await errors);
    }
}
