using System.Diagnostics;

namespace Syndication.Tests.Infrastructure;

sealed record CliResult(int ExitCode, string Output, string Errors);

/// <summary>Runs the built <c>syndication</c> CLI as a real process, with the test app's settings as environment variables.</summary>
static class CliProcess
{
    public static async Task<CliResult> RunAsync(TestApp app, Dictionary<string, string> overrides, params string[] args)
    {
        using var process = Process.Start(StartInfo(app, overrides, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await errors);
    }

    /// <summary>Starts the CLI and leaves it running (its output is read and dropped): for a test that kills it.</summary>
    public static Process Start(TestApp app, Dictionary<string, string> overrides, params string[] args)
    {
        var process = Process.Start(StartInfo(app, overrides, args))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static ProcessStartInfo StartInfo(TestApp app, Dictionary<string, string> overrides, string[] args)
    {
        var cli = Path.Combine(Repo.Root, "functions", "Syndication.Cli", "bin", Repo.Configuration, "net10.0", "Syndication.Cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in app.ProcessSettings())
            if (value is not null) start.Environment[key.Replace(":", "__")] = value;
        foreach (var (key, value) in overrides)
            start.Environment[key] = value;
        return start;
    }
}
