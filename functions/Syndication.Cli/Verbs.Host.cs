using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Hosting;
using Syndication.Primitives;
using Syndication.Settings;
using Syndication.Storage;
using Syndication.Telegram;

namespace Syndication.Cli;

/// <summary>What every verb shares: its host, the configuration it reads, and the one place failures become exit codes.</summary>
public static partial class Verbs
{
    static async Task<SyndicationConfig> LoadConfigAsync(IServiceProvider services, string? configPath, CancellationToken cancellationToken)
    {
        var path = configPath ?? services.GetRequiredService<IOptions<SyndicationOptions>>().Value.ConfigPath;
        return string.IsNullOrWhiteSpace(path)
            ? await services.GetRequiredService<ConfigSource>().LoadAsync(null, cancellationToken)
            : await ConfigSource.LoadFileAsync(path, cancellationToken);
    }

    static async Task<string> ReadConfigFileAsync(string file, CancellationToken cancellationToken)
    {
        if (Directory.Exists(file)) throw new UsageException($"{file} is a folder, not a configuration file");
        if (!File.Exists(file)) throw new UsageException($"{file} does not exist");
        return await File.ReadAllTextAsync(file, cancellationToken);
    }

    /// <summary>The one place where failures become exit codes and plain messages.</summary>
    static async Task<int> WithHostAsync(Needs needs, Func<IServiceProvider, Task<int>> verb)
    {
        string? storage = null;
        try
        {
            var settings = CliSettings.For(CliSettings.Environment(), needs);
            if (CliSettings.Problems(settings, needs) is { Count: > 0 } problems)
            {
                foreach (var problem in problems) Console.Error.WriteLine(problem);
                return ExitCodes.Usage;
            }
            if (needs.Storage && CliSettings.StorageNotice(settings) is { } notice) Console.Error.WriteLine(notice);
            using var host = CliHost.Build(settings);
            if (needs.Storage) storage = StorageAddress(host.Services);
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
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One line a person can act on, never a stack trace, unless asked for with --verbose.
            var failure = Explain(ex, storage) ?? (ExitCodes.Unexpected, $"Unexpected error ({ex.GetType().Name}): {ex.FirstLine()}. Run again with --verbose for details.");
            Console.Error.WriteLine(failure.Message);
            if (Verbose) Console.Error.WriteLine(ex);
            return failure.ExitCode;
        }
    }

    /// <summary>The storage account's address, to name it when it cannot be reached; null when none is configured.</summary>
    static string? StorageAddress(IServiceProvider services)
    {
        try
        {
            return services.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>().Uri.GetLeftPart(UriPartial.Authority);
        }
        catch (StorageUnavailableException)
        {
            return null;
        }
    }

    /// <summary>The failures a person can act on, as the exit code and message they get; anything else is a bug and stays loud.</summary>
    static (int ExitCode, string Message)? Explain(Exception ex, string? storage) => ex switch
    {
        ConfigException or UsageException or ConfigUnreadableException => (ExitCodes.Usage, ex.Message),
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException => (ExitCodes.Usage, $"Cannot read or write a file: {ex.Message}"),
        OptionsValidationException options => (ExitCodes.Usage, string.Join(Environment.NewLine, options.Failures)),
        ConfigConflictException => (ExitCodes.Conflict, $"Not published: {ex.Message}"),
        StorageUnavailableException => (ExitCodes.Unavailable, $"Article storage is unavailable: {ex.Message}"),
        TelegramTokenRefusedException => (ExitCodes.Unavailable, ex.Message),
        WebhookActiveException => (ExitCodes.Conflict, ex.Message),
        EditorBotException => (ExitCodes.Unavailable, ex.Message),
        // Storage answered with an error, or not at all; alerts already queued stay queued for the next run.
        RequestFailedException { Status: > 0 } failed => (ExitCodes.Unavailable, $"Article storage{(storage is null ? "" : $" at {storage}")} refused the request: {failed.Status} {failed.ErrorCode ?? failed.FirstLine()}"),
        RequestFailedException or AggregateException { InnerException: RequestFailedException } =>
            (ExitCodes.Unavailable, $"Article storage is unavailable: article storage{(storage is null ? "" : $" at {storage}")} could not be reached: {StorageContainers.Flatten(ex)}"),
        _ => null,
    };
}

/// <summary>A command line that names something the configuration does not have.</summary>
sealed class UsageException(string message) : Exception(message);

/// <summary>The CLI's host: settings from environment variables (the same names as the Functions app), logs to stderr.</summary>
static class CliHost
{
    public static IHost Build(IConfiguration settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(settings);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }).AddSyndicationFilters()
            .AddFilter("Syndication.Sweeps.Sweeper", LogLevel.Warning) // the summary is printed on stdout, once
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // a failure to start is explained once, by the verb
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSyndication(builder.Configuration);
        return builder.Build();
    }
}
