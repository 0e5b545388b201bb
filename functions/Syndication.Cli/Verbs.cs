using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Hosting;
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

    public static Task<int> CheckAsync(string? configPath, CancellationToken cancellationToken) =>
        WithHostAsync(async services =>
        {
            var config = configPath is null
                ? await services.GetRequiredService<ConfigSource>().LoadAsync(null, cancellationToken)
                : await ConfigSource.LoadFileAsync(configPath, cancellationToken);
            Console.Out.WriteLine($"Configuration is valid: {config.Feeds.Count} feeds, {config.Channels.Count} channels, {config.Rules.Count} rules.");
            return ExitCodes.Ok;
        });

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
        catch (ConfigException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.Usage;
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine($"Invalid setting: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (StorageUnavailableException ex)
        {
            Console.Error.WriteLine($"Article storage is unavailable: {ex.Message}");
            return ExitCodes.Unavailable;
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException { InnerException: Azure.RequestFailedException })
        {
            // Storage failed in the middle of a sweep; alerts already queued stay queued for the next run.
            Console.Error.WriteLine($"Article storage failed during the sweep: {ex.Message.Split('\n')[0]}");
            return ExitCodes.Unavailable;
        }
    }
}

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
