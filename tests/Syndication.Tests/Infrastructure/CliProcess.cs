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

    /// <summary>The built CLI, as the scripts are told to run it (<c>SYNDICATION_CLI_DLL</c>).</summary>
    public static string Dll => Path.Combine(Repo.Root, "functions", "Syndication.Cli", "bin", Repo.Configuration, "net10.0", "Syndication.Cli.dll");

    /// <summary>
    /// Runs one of the repository's scripts (<c>scripts/sweep.sh</c>, <c>scripts/local.sh</c>) with bash from
    /// <paramref name="workingDirectory"/>, as a person would, against the test's Bot API and clock, with the built CLI.
    /// </summary>
    public static async Task<CliResult> RunScriptAsync(TestApp app, string workingDirectory, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["SYNDICATION_CLI_DLL"] = Dll;
        start.Environment["Telegram__BotToken"] = FakeBotApi.Token;
        start.Environment["Telegram__ApiBaseUrl"] = app.Bot.BaseUrl;
        start.Environment["Delivery__Pace"] = "false";
        start.Environment["Syndication__Now"] = app.Clock.GetUtcNow().ToString("O");
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await errors);
    }

    static ProcessStartInfo StartInfo(TestApp app, Dictionary<string, string> overrides, string[] args)
    {
        var cli = Dll;
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
