using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Hosting;
using Syndication.Previews;
using Syndication.Primitives;
using Syndication.Settings;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Telegram;

namespace Syndication.Cli;

/// <summary>The verbs: each builds the host, calls the core once, and turns the outcome into output and an exit code.</summary>
public static partial class Verbs
{
    /// <summary>Print an error's full details, not just its one-line explanation.</summary>
    public static bool Verbose { get; set; }

    public static Task<int> RunAsync(string? configPath, bool dryRun, CancellationToken cancellationToken)
    {
        // A dry run sends nothing, so the Telegram settings are neither read nor checked.
        var tokenless = !dryRun && string.IsNullOrWhiteSpace(CliSettings.Environment()["Telegram:BotToken"]);
        dryRun |= tokenless;
        var needs = dryRun ? new Needs(Storage: true, SettingsSection.Syndication, SettingsSection.Delivery) : new Needs(Storage: true, SettingsSection.Syndication, SettingsSection.Delivery, SettingsSection.Telegram);
        return WithHostAsync(needs, async services =>
        {
            if (tokenless) Console.Error.WriteLine("Telegram__BotToken is not set: running dry, nothing will be sent.");
            var report = await services.GetRequiredService<Sweeper>().RunAsync(configPath, dryRun, cancellationToken);
            ReportPrinter.Print(report, Console.Out);
            return report.TelegramUnreachable ? ExitCodes.Unavailable : ExitCodes.Ok;
        });
    }

    public static Task<int> WorkAsync(string duration, string? configPath, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: true, SettingsSection.Syndication, SettingsSection.Delivery, SettingsSection.Telegram), async services =>
        {
            var span = ParseDuration(duration);
            var report = await services.GetRequiredService<Sweeper>().WorkAsync(span, configPath, cancellationToken);
            ReportPrinter.Print(report, Console.Out);
            return report.TelegramUnreachable ? ExitCodes.Unavailable : ExitCodes.Ok;
        });

    public static Task<int> ScheduleAsync(string? configPath, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: true, SettingsSection.Syndication), async services =>
        {
            var (schedule, woken) = await services.GetRequiredService<Sweeper>().ScheduleAsync(configPath, cancellationToken);
            Console.Out.WriteLine(schedule.Backlog > 0
                ? $"Queued nothing: {schedule.Backlog} batches of an earlier cycle still wait. Woke {woken} channels with alerts waiting."
                : $"Queued {schedule.Feeds} feeds in {schedule.Batches.Count} batches; woke {woken} channels with alerts waiting.");
            return ExitCodes.Ok;
        });

    /// <summary>A duration as people write it: <c>90s</c>, <c>5m</c>, <c>1h</c>, or <c>00:01:30</c>.</summary>
    internal static TimeSpan ParseDuration(string text)
    {
        var trimmed = text.Trim();
        TimeSpan? parsed = trimmed.Length > 1 && double.TryParse(trimmed[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? char.ToLowerInvariant(trimmed[^1]) switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => null }
            : TimeSpan.TryParse(trimmed, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero ? span : null;
        return parsed ?? throw new UsageException($"--for: '{text}' is not a duration; write it like 90s, 5m or 1h");
    }

    public static Task<int> CheckAsync(string? configPath, bool json, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: false, SettingsSection.Syndication), async services =>
        {
            var path = configPath ?? services.GetRequiredService<IOptions<SyndicationOptions>>().Value.ConfigPath;
            var result = string.IsNullOrWhiteSpace(path)
                ? await services.GetRequiredService<ConfigSource>().CheckBlobAsync(cancellationToken)
                : await ConfigSource.CheckFileAsync(path, cancellationToken);
            if (result.Config is { } config && await TryLoadFeedStatesAsync(services, config, cancellationToken) is { } states)
                result = result with { Warnings = states.MovedFeeds(config) };
            CheckPrinter.Print(result, json);
            return result.Valid ? ExitCodes.Ok : ExitCodes.Usage;
        });

    /// <summary>
    /// What the sweeps learned about the feeds (which moved), when storage is configured and answers within a second:
    /// check needs no storage, so one that is down costs a second and a note, not a wait.
    /// </summary>
    static async Task<Feeds.FeedStates?> TryLoadFeedStatesAsync(IServiceProvider services, SyndicationConfig config, CancellationToken cancellationToken)
    {
        var settings = services.GetRequiredService<IConfiguration>();
        if (ServiceCollectionExtensions.StorageSection(settings) is null || SettingsCheck.StorageProblem(settings) is not null)
            return null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            return await services.GetRequiredService<Feeds.FeedStateStore>().LoadAsync(config, shards: null, timeout.Token);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or RequestFailedException or AggregateException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("Note: article storage did not answer within a second, so feeds that moved were not looked up; the configuration itself was checked in full.");
            return null;
        }
    }

    public static Task<int> PreviewAsync(string? configPath, string? feedId, string? address, string? file, string? ruleId, bool json, bool offline, CancellationToken cancellationToken) =>
        // Storage is optional: without it a preview cannot tell which stories a channel already had, and says so.
        WithHostAsync(new Needs(Storage: false, SettingsSection.Syndication), async services =>
        {
            Uri? url = null;
            if (address is not null && !(Uri.TryCreate(address, UriKind.Absolute, out url) && HttpAddresses.IsHttp(url)))
                throw new UsageException($"--url: '{address}' is not an absolute http:// or https:// address");
            if (file is not null && !File.Exists(file))
                throw new UsageException(Directory.Exists(file) ? $"--file: {file} is a folder, not a feed file" : $"--file: {file} cannot be read: there is no such file");
            var config = await LoadConfigAsync(services, configPath, cancellationToken);
            if (feedId is not null && config.Feeds.All(f => f.Id != feedId))
                throw new UsageException($"--feed: no feed '{feedId}' in the configuration; feeds are: {string.Join(", ", config.Feeds.Select(f => f.Id))}");
            if (ruleId is not null && config.Rules.All(r => r.Id != ruleId))
                throw new UsageException($"--rule: no rule '{ruleId}' in the configuration; rules are: {string.Join(", ", config.Rules.Select(r => r.Id))}");

            PreviewSource source = feedId is not null ? new PreviewSource.Feed(feedId)
                : url is not null ? new PreviewSource.Url(url)
                : file is not null ? new PreviewSource.File(file)
                : new PreviewSource.AllFeeds();
            var feeds = await services.GetRequiredService<Previewer>().PreviewAsync(config, source, ruleId, cancellationToken, offline);
            PreviewPrinter.Print(feeds, json);
            // Nothing could be read at all: a script must not take an empty preview for a quiet one.
            return feeds.Count > 0 && feeds.All(f => f.Error is not null) ? ExitCodes.Unavailable : ExitCodes.Ok;
        });

    public static Task<int> PushAsync(string file, bool force, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: true, SettingsSection.Syndication), async services =>
        {
            var json = await ReadConfigFileAsync(file, cancellationToken);
            var basedOn = await PulledVersion.ReadAsync(file, cancellationToken);
            var (etag, changed) = await services.GetRequiredService<ConfigPublisher>().PushAsync(json, $"file '{file}'", basedOn?.ETag, force, cancellationToken);
            await PulledVersion.WriteAsync(file, etag, json, cancellationToken);
            Console.Out.WriteLine(changed
                ? $"Published {file} as the live configuration (version {etag})."
                : $"{file} is already the live configuration (version {etag}); nothing was published.");
            return ExitCodes.Ok;
        });

    public static Task<int> PullAsync(string? file, bool force, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: true, SettingsSection.Syndication), async services =>
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
            // A local file with edits that were never pushed is not overwritten: they would be lost without a word.
            if (!force && File.Exists(file) && await File.ReadAllTextAsync(file, cancellationToken) is var local && local != live.Json
                && (await PulledVersion.ReadAsync(file, cancellationToken))?.ContentHash != PulledVersion.Hash(local))
                throw new UsageException($"{file} has changes that were never pushed, and pulling would overwrite them. Push them first, copy the file elsewhere, or pull with --force.");
            await File.WriteAllTextAsync(file, live.Json, cancellationToken);
            // The version is remembered beside the file, so the next push can tell whether someone else pushed meanwhile.
            await PulledVersion.WriteAsync(file, live.ETag, live.Json, cancellationToken);
            Console.Out.WriteLine($"Wrote the live configuration (version {live.ETag}) to {file}.");
            return ExitCodes.Ok;
        });

    public static Task<int> OpmlExportAsync(string? configPath, string? outFile, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: configPath is null, SettingsSection.Syndication), async services =>
        {
            var config = await LoadConfigAsync(services, configPath, cancellationToken);
            // A feed's site (htmlUrl) is what its last read found, so only the live configuration's export has them.
            var sites = configPath is null ? await services.GetRequiredService<Sweeps.StatusReader>().SitesAsync(config, cancellationToken) : null;
            var opml = Feeds.Opml.Write(config, services.GetRequiredService<TimeProvider>().GetUtcNow(), sites);
            if (outFile is null) Console.Out.Write(opml);
            else
            {
                await File.WriteAllTextAsync(outFile, opml, cancellationToken);
                Console.Out.WriteLine($"Wrote {Counted.Of(config.Feeds.Count, "feed")} to {outFile}.");
            }
            return ExitCodes.Ok;
        });

    public static Task<int> OpmlImportAsync(string file, string? category, bool dryRun, bool keepUnreachable, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: true, SettingsSection.Syndication), async services =>
        {
            if (!File.Exists(file)) throw new UsageException($"{file} does not exist");
            Editing.ImportResult result;
            try
            {
                var command = $"syndication opml import {Path.GetFileName(file)}{(category is null ? "" : $" --category \"{category}\"")}";
                result = await services.GetRequiredService<Editing.OpmlImporter>().ImportAsync(await File.ReadAllBytesAsync(file, cancellationToken), category, dryRun, keepUnreachable,
                    null, $"file '{Path.GetFileName(file)}'", command, cancellationToken);
            }
            catch (Feeds.OpmlException ex)
            {
                Console.Error.WriteLine($"{file} was not imported: {ex.Message}");
                return ExitCodes.Usage;
            }
            foreach (var feed in result.Plan.Added) Console.Out.WriteLine($"+ {feed.Id}  {feed.Url}{(feed.Tags.Count > 0 ? $"  [{string.Join(", ", feed.Tags)}]" : "")}  (backfill {feed.Backfill})");
            foreach (var (feed, existing) in result.Plan.Skipped) Console.Out.WriteLine($"= {feed.Url}  already watched as '{existing}' ({feed.Where})");
            foreach (var problem in result.Plan.Problems) Console.Out.WriteLine($"! {problem}");
            switch (result.Outcome)
            {
                case null:
                    Console.Out.WriteLine($"{(dryRun ? "Dry run, nothing changed: " : "Nothing changed: ")}{result.Plan.Summary}.");
                    return ExitCodes.Ok;
                case Editing.ChangeOutcome.Done done:
                    Console.Out.WriteLine($"Imported: {done.Message}. /undo in Telegram reverts it.");
                    return ExitCodes.Ok;
                case Editing.ChangeOutcome.Conflict conflict:
                    Console.Error.WriteLine(conflict.Message);
                    return ExitCodes.Conflict;
                case var other:
                    Console.Error.WriteLine($"Not imported: {other.Message}");
                    return ExitCodes.Usage;
            }
        });

    public static Task<int> StatusAsync(string? configPath, bool json, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: true, SettingsSection.Syndication), async services =>
        {
            var config = await LoadConfigAsync(services, configPath, cancellationToken);
            var status = await services.GetRequiredService<StatusReader>().ReadAsync(config, cancellationToken);
            StatusPrinter.Print(status, json);
            return ExitCodes.Ok;
        });

    public static Task<int> ListenAsync(string? duration, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: true, SettingsSection.Syndication, SettingsSection.Delivery, SettingsSection.Telegram), async services =>
        {
            var handled = await services.GetRequiredService<Listener>().ListenAsync(duration is null ? null : ParseDuration(duration), cancellationToken);
            Console.Out.WriteLine($"Stopped listening; handled {handled} updates.");
            return ExitCodes.Ok;
        });

    public static Task<int> ServeAsync(int port, string? duration, string? publicAddress, CancellationToken cancellationToken) =>
        WithHostAsync(new Needs(Storage: true, SettingsSection.Syndication, SettingsSection.Telegram), async services =>
        {
            if (port is < 1 or > 65535) throw new UsageException($"--port {port}: a port is a number from 1 to 65535");
            if (publicAddress is not null)
            {
                // The https address a tunnel gives this port: the menu button opens the page there.
                if (!Uri.TryCreate(publicAddress.EndsWith('/') ? publicAddress : publicAddress + "/", UriKind.Absolute, out var root))
                    throw new UsageException($"--public: '{publicAddress}' is not an absolute address");
                await SetPageButtonAsync(services.GetRequiredService<EditorBot>(), Pages.EditorPage.AddressBeside(root), cancellationToken);
            }
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (duration is not null) limit.CancelAfter(ParseDuration(duration));
            var served = await PageServer.ServeAsync(services.GetRequiredService<Pages.EditorPage>(), port, limit.Token);
            Console.Out.WriteLine($"Stopped serving; answered {served} requests.");
            return ExitCodes.Ok;
        });

    /// <summary>Sets the bot's menu button to open the editors' page at <paramref name="page"/> (https only, as Telegram opens Mini Apps).</summary>
    static async Task SetPageButtonAsync(EditorBot bot, Uri page, CancellationToken cancellationToken)
    {
        if (page.Scheme != Uri.UriSchemeHttps) throw new UsageException($"'{page}' is not an https:// address; Telegram opens Mini Apps only over https");
        await bot.SetPageButtonAsync(page.ToString(), cancellationToken);
        Console.Out.WriteLine($"The bot's menu button (“{EditorBot.PageButtonText}”) opens {page}.");
    }

    public static Task<int> WebhookAsync(string action, string? address, CancellationToken cancellationToken, string? pageAddress = null) =>
        WithHostAsync(new Needs(Storage: false, SettingsSection.Telegram), async services =>
        {
            var bot = services.GetRequiredService<EditorBot>();
            switch (action)
            {
                case "set":
                    if (!(Uri.TryCreate(address, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps))
                        throw new UsageException($"URL: '{address}' is not an absolute https:// address; Telegram sends updates only over https");
                    var secret = services.GetRequiredService<IOptions<TelegramOptions>>().Value.WebhookSecret;
                    if (string.IsNullOrEmpty(secret))
                        throw new UsageException("Telegram__WebhookSecret is not set; set it to the secret the function checks (in Azure it is the Key Vault secret 'telegram-webhook-secret')");
                    await bot.SetWebhookAsync(url.ToString(), secret, cancellationToken);
                    Console.Out.WriteLine($"Telegram now sends {string.Join(" and ", EditorBot.UpdateTypes.Select(t => t.ToString().ToLowerInvariant()))} updates to {url.GetLeftPart(UriPartial.Path)}, with the secret.");
                    // The editors' page is served by the same app, beside the webhook, unless --page says where.
                    if (pageAddress is not null && !Uri.TryCreate(pageAddress, UriKind.Absolute, out _))
                        throw new UsageException($"--page: '{pageAddress}' is not an absolute address");
                    await SetPageButtonAsync(bot, pageAddress is null ? Pages.EditorPage.AddressBeside(url) : new Uri(pageAddress), cancellationToken);
                    break;
                case "info":
                    var info = await bot.GetWebhookInfoAsync(cancellationToken);
                    Console.Out.WriteLine(string.IsNullOrEmpty(info.Url)
                        ? "No webhook is set: updates wait for 'syndication listen'."
                        : $"Webhook: {info.Url}\nPending updates: {info.PendingUpdateCount}\nUpdate types: {string.Join(", ", info.AllowedUpdates ?? [])}"
                          + (info.LastErrorDate is { } when ? $"\nLast error: {when:yyyy-MM-dd HH:mm} UTC: {info.LastErrorMessage}" : "\nLast error: none"));
                    break;
                default:
                    await bot.DeleteWebhookAsync(cancellationToken);
                    Console.Out.WriteLine("The webhook is removed: updates now wait for 'syndication listen'.");
                    break;
            }
            return ExitCodes.Ok;
        });
}
