using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Hosting;
using Syndication.Previews;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Telegram;

namespace Syndication.Cli;

/// <summary>The verbs: each builds the host, calls the core once, and turns the outcome into output and an exit code.</summary>
public static class Verbs
{
    public static Task<int> RunAsync(string? configPath, bool dryRun, CancellationToken cancellationToken) =>
        WithHostAsync(async services =>
        {
            if (!dryRun && !services.GetRequiredService<TelegramNotifier>().IsConfigured)
            {
                Console.Error.WriteLine("Telegram__BotToken is not set: running dry, nothing will be sent.");
                dryRun = true;
            }
            var report = await services.GetRequiredService<Sweeper>().RunAsync(configPath, dryRun, cancellationToken);
            ReportPrinter.Print(report, Console.Out);
            return report.TelegramUnreachable ? ExitCodes.Unavailable : ExitCodes.Ok;
        });

    public static Task<int> CheckAsync(string? configPath, bool json, CancellationToken cancellationToken) =>
        WithHostAsync(async services =>
        {
            var path = configPath ?? services.GetRequiredService<IOptions<SyndicationOptions>>().Value.ConfigPath;
            var result = string.IsNullOrWhiteSpace(path)
                ? await services.GetRequiredService<ConfigSource>().CheckBlobAsync(cancellationToken)
                : await ConfigSource.CheckFileAsync(path, cancellationToken);
            if (result.Config is { } config && await TryLoadFeedStatesAsync(services, cancellationToken) is { } states)
                result = result with { Warnings = states.MovedFeeds(config) };
            CheckPrinter.Print(result, json);
            return result.Valid ? ExitCodes.Ok : ExitCodes.Usage;
        });

    /// <summary>What the sweeps learned about the feeds, when storage is configured and answers within seconds; check works without it.</summary>
    static async Task<Feeds.FeedStates?> TryLoadFeedStatesAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return await services.GetRequiredService<Feeds.FeedStateStore>().LoadAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or RequestFailedException or AggregateException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public static Task<int> PreviewAsync(string? configPath, string? feedId, Uri? url, string? file, string? ruleId, bool json, CancellationToken cancellationToken) =>
        WithHostAsync(async services =>
        {
            var config = await LoadConfigAsync(services, configPath, cancellationToken);
            if (feedId is not null && config.Feeds.All(f => f.Id != feedId))
                throw new UsageException($"--feed: no feed '{feedId}' in the configuration; feeds are: {string.Join(", ", config.Feeds.Select(f => f.Id))}");
            if (ruleId is not null && config.Rules.All(r => r.Id != ruleId))
                throw new UsageException($"--rule: no rule '{ruleId}' in the configuration; rules are: {string.Join(", ", config.Rules.Select(r => r.Id))}");

            PreviewSource source = feedId is not null ? new PreviewSource.Feed(feedId)
                : url is not null ? new PreviewSource.Url(url)
                : file is not null ? new PreviewSource.File(file)
                : new PreviewSource.AllFeeds();
            var feeds = await services.GetRequiredService<Previewer>().PreviewAsync(config, source, ruleId, cancellationToken);
            PreviewPrinter.Print(feeds, json);
            return ExitCodes.Ok;
        });

    public static Task<int> PushAsync(string file, bool force, CancellationToken cancellationToken) =>
        WithHostAsync(async services =>
        {
            var etagFile = file + ".etag";
            ETag? basedOn = File.Exists(etagFile) ? new ETag((await File.ReadAllTextAsync(etagFile, cancellationToken)).Trim()) : null;
            var json = await File.ReadAllTextAsync(file, cancellationToken);
            var etag = await services.GetRequiredService<ConfigPublisher>().PushAsync(json, $"file '{file}'", basedOn, force, cancellationToken);
            await File.WriteAllTextAsync(etagFile, etag.ToString(), cancellationToken);
            Console.Out.WriteLine($"Published {file} as the live configuration (version {etag}).");
            return ExitCodes.Ok;
        });

    public static Task<int> PullAsync(string? file, CancellationToken cancellationToken) =>
        WithHostAsync(async services =>
        {
            if (await services.GetRequiredService<ConfigPublisher>().PullAsync(cancellationToken) is not { } live)
            {
                Console.Error.WriteLine("No configuration is live yet; publish one with 'syndication config push FILE'.");
                return ExitCodes.Usage;
            }
            if (file is null)
            {
                Console.Out.Write(live.Json);
                return ExitCodes.Ok;
            }
            await File.WriteAllTextAsync(file, live.Json, cancellationToken);
            // The version is remembered beside the file, so the next push can tell whether someone else pushed meanwhile.
            await File.WriteAllTextAsync(file + ".etag", live.ETag.ToString(), cancellationToken);
            Console.Out.WriteLine($"Wrote the live configuration (version {live.ETag}) to {file}.");
            return ExitCodes.Ok;
        });

    public static Task<int> StatusAsync(string? configPath, bool json, CancellationToken cancellationToken) =>
        WithHostAsync(async services =>
        {
            var config = await LoadConfigAsync(services, configPath, cancellationToken);
            var status = await services.GetRequiredService<StatusReader>().ReadAsync(config, cancellationToken);
            StatusPrinter.Print(status, json);
            return ExitCodes.Ok;
        });

    static async Task<SyndicationConfig> LoadConfigAsync(IServiceProvider services, string? configPath, CancellationToken cancellationToken)
    {
        var path = configPath ?? services.GetRequiredService<IOptions<SyndicationOptions>>().Value.ConfigPath;
        return string.IsNullOrWhiteSpace(path)
            ? await services.GetRequiredService<ConfigSource>().LoadAsync(null, cancellationToken)
            : await ConfigSource.LoadFileAsync(path, cancellationToken);
    }

    /// <summary>The one place where failures become exit codes and plain messages.</summary>
    static async Task<int> WithHostAsync(Func<IServiceProvider, Task<int>> verb)
    {
        try
        {
            using var host = CliHost.Build();
            await host.StartAsync();
            try
            {
                return await verb(host.Services);
            }
            finally
            {
                await host.StopAsync();
            }
        }
        catch (Exception ex) when (Explain(ex) is { } failure)
        {
            Console.Error.WriteLine(failure.Message);
            return failure.ExitCode;
        }
    }

    /// <summary>The failures a person can act on, as the exit code and message they get; anything else is a bug and stays loud.</summary>
    static (int ExitCode, string Message)? Explain(Exception ex) => ex switch
    {
        ConfigException or UsageException => (ExitCodes.Usage, ex.Message),
        OptionsValidationException => (ExitCodes.Usage, $"Invalid setting: {ex.Message}"),
        ConfigConflictException => (ExitCodes.Conflict, $"Not published: {ex.Message}"),
        StorageUnavailableException => (ExitCodes.Unavailable, $"Article storage is unavailable: {ex.Message}"),
        TelegramTokenRefusedException => (ExitCodes.Unavailable, ex.Message),
        // Storage failed in the middle of a sweep; alerts already queued stay queued for the next run.
        RequestFailedException or AggregateException { InnerException: RequestFailedException } =>
            (ExitCodes.Unavailable, $"Article storage failed during the sweep: {ex.Message.Split('\n')[0]}"),
        _ => null,
    };
}

/// <summary>A command line that names something the configuration does not have.</summary>
sealed class UsageException(string message) : Exception(message);

/// <summary>The CLI's host: settings from environment variables (the same names as the Functions app), logs to stderr.</summary>
static class CliHost
{
    public static IHost Build()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .AddFilter("Azure", LogLevel.Warning)
            .AddFilter("Polly", LogLevel.None) // the feed processor logs each failure once, with its reason
            .AddFilter("Microsoft", LogLevel.Warning)
            .SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSyndication(builder.Configuration);
        return builder.Build();
    }
}
