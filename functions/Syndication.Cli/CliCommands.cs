using System.CommandLine;
using System.CommandLine.Help;

namespace Syndication.Cli;

/// <summary>The command line's verbs and options, each handing off to <see cref="Verbs"/>; the tests parse the documented commands with it.</summary>
public static class CliCommands
{
    /// <summary>On an error, print its full details; every verb takes it.</summary>
    public static Option<bool> Verbose { get; private set; } = null!;

    public static Command Build()
    {
        Verbose = new Option<bool>("--verbose") { Description = "On an error, print its full details (the exception and stack trace).", Recursive = true };
        var configOption = new Option<FileInfo?>("--config") { Description = "A local syndication.json; default: Syndication__ConfigPath, else the live config blob." };
        var jsonOption = new Option<bool>("--json") { Description = "Print machine-readable JSON instead of text." };

        var dryRun = new Option<bool>("--dry-run") { Description = "Fetch, store and match, but print the messages instead of sending them." };
        var run = new Command("run", "Run one sweep: fetch every feed, store new articles, match the rules and send the alerts.") { configOption, dryRun };
        run.SetAction((parsed, ct) => Verbs.RunAsync(parsed.GetValue(configOption)?.FullName, parsed.GetValue(dryRun), ct));

        var forOption = new Option<string>("--for") { Description = "How long to keep consuming, such as 60s, 5m or 1h.", Required = true };
        var work = new Command("work", "Work the feed and delivery queues as a Functions instance does, for a while: run several at once to share a cycle's work.") { forOption, configOption };
        work.SetAction((parsed, ct) => Verbs.WorkAsync(parsed.GetValue(forOption)!, parsed.GetValue(configOption)?.FullName, ct));

        var schedule = new Command("schedule", "Queue the due feeds and wake the channels with waiting alerts, as the two timers do in Azure; 'work' processes do the rest.") { configOption };
        schedule.SetAction((parsed, ct) => Verbs.ScheduleAsync(parsed.GetValue(configOption)?.FullName, ct));

        var check = new Command("check", "Validate a configuration and print every problem with its JSON path.") { configOption, jsonOption };
        check.SetAction((parsed, ct) => Verbs.CheckAsync(parsed.GetValue(configOption)?.FullName, parsed.GetValue(jsonOption), ct));

        var feed = new Option<string?>("--feed") { Description = "Preview only this configured feed." };
        var url = new Option<string?>("--url") { Description = "Preview a feed at this address, tried against every rule." };
        var file = new Option<FileInfo?>("--file") { Description = "Preview a feed file on disk, tried against every rule." };
        var rule = new Option<string?>("--rule") { Description = "Show only this rule." };
        var offline = new Option<bool>("--offline") { Description = "Fetch no article pages: show each item exactly as its feed gives it." };
        var preview = new Command("preview", "Show which rules each item matches and why, and the messages channels would get. Stores and sends nothing.")
            { configOption, feed, url, file, rule, jsonOption, offline };
        preview.Validators.Add(result =>
        {
            if (new[] { result.GetResult(feed), result.GetResult(url), result.GetResult(file) }.Count(r => r is not null) > 1)
                result.AddError("Give at most one of --feed, --url and --file.");
        });
        preview.SetAction((parsed, ct) => Verbs.PreviewAsync(parsed.GetValue(configOption)?.FullName, parsed.GetValue(feed), parsed.GetValue(url),
            parsed.GetValue(file)?.FullName, parsed.GetValue(rule), parsed.GetValue(jsonOption), parsed.GetValue(offline), ct));

        var pushFile = new Argument<FileInfo>("FILE") { Description = "The configuration to publish." };
        var force = new Option<bool>("--force") { Description = "Replace the live configuration even if it changed since you pulled it." };
        var push = new Command("push", "Validate a configuration and publish it as the live config blob.") { pushFile, force };
        push.SetAction((parsed, ct) => Verbs.PushAsync(parsed.GetValue(pushFile)!.FullName, parsed.GetValue(force), ct));

        var pullFile = new Argument<FileInfo?>("FILE") { Description = "Where to write the live configuration; standard output when left out.", Arity = ArgumentArity.ZeroOrOne };
        var overwrite = new Option<bool>("--force") { Description = "Overwrite FILE even if it has changes that were never pushed." };
        var pull = new Command("pull", "Download the live configuration, remembering its version for the next push.") { pullFile, overwrite };
        pull.SetAction((parsed, ct) => Verbs.PullAsync(parsed.GetValue(pullFile)?.FullName, parsed.GetValue(overwrite), ct));

        var configCommand = new Command("config", "Publish or download the live configuration.") { push, pull };

        var exportOut = new Option<FileInfo?>("--out") { Description = "Where to write the OPML file; standard output when left out." };
        var opmlExport = new Command("export", "Write the configuration's feeds as OPML 2.0, with this bot's settings, for any feed reader.") { exportOut, configOption };
        opmlExport.SetAction((parsed, ct) => Verbs.OpmlExportAsync(parsed.GetValue(configOption)?.FullName, parsed.GetValue(exportOut)?.FullName, ct));
        var importFile = new Argument<FileInfo>("FILE") { Description = "An OPML file, as feedly, Inoreader, miniflux, FreshRSS, NetNewsWire, Thunderbird or RSStT export it." };
        var importCategory = new Option<string?>("--category") { Description = "Tag every imported feed with this category instead of the file's own." };
        var importDryRun = new Option<bool>("--dry-run") { Description = "Show what would be imported, and change nothing." };
        var keepUnreachable = new Option<bool>("--keep-unreachable") { Description = "Add feeds that cannot be read now too." };
        var opmlImport = new Command("import", "Add an OPML file's feeds to the live configuration as one change (undone by /undo); each is read once first.")
            { importFile, importCategory, importDryRun, keepUnreachable };
        opmlImport.SetAction((parsed, ct) => Verbs.OpmlImportAsync(parsed.GetValue(importFile)!.FullName, parsed.GetValue(importCategory), parsed.GetValue(importDryRun),
            parsed.GetValue(keepUnreachable), ct));
        var opml = new Command("opml", "Bring feeds in from, or take them out to, any feed reader (OPML).") { opmlExport, opmlImport };

        var status = new Command("status", "Show every feed's last success and failures, and every channel's pending and dead-lettered alerts.") { configOption, jsonOption };
        status.SetAction((parsed, ct) => Verbs.StatusAsync(parsed.GetValue(configOption)?.FullName, parsed.GetValue(jsonOption), ct));

        var listenFor = new Option<string?>("--for") { Description = "Stop after this long, such as 10m; default: until Ctrl+C." };
        var listen = new Command("listen", "Take editors' commands from Telegram by long polling (getUpdates), for a machine with no public address.") { listenFor };
        listen.SetAction((parsed, ct) => Verbs.ListenAsync(parsed.GetValue(listenFor), ct));

        var servePort = new Option<int>("--port") { Description = "The port to serve on (default 8080).", DefaultValueFactory = _ => 8080 };
        var serveFor = new Option<string?>("--for") { Description = "Stop after this long, such as 10m; default: until Ctrl+C." };
        var servePublic = new Option<string?>("--public") { Description = "The https address a tunnel gives this port: the bot's menu button then opens the page there." };
        var serve = new Command("serve", "Serve the editors' page (a Telegram Mini App) on 127.0.0.1, as the Functions app serves it at /api/app/.") { servePort, serveFor, servePublic };
        serve.SetAction((parsed, ct) => Verbs.ServeAsync(parsed.GetValue(servePort), parsed.GetValue(serveFor), parsed.GetValue(servePublic), ct));

        var webhookUrl = new Argument<string>("URL") { Description = "The public https address of the TelegramWebhook function." };
        var webhookPage = new Option<string?>("--page") { Description = "Where the editors' page is, if not beside the webhook (URL with /telegram replaced by /app/)." };
        var webhookSet = new Command("set", "Tell Telegram to send updates to URL, with the secret (Telegram__WebhookSecret) it must present, and set the menu button to open the editors' page.") { webhookUrl, webhookPage };
        webhookSet.SetAction((parsed, ct) => Verbs.WebhookAsync("set", parsed.GetValue(webhookUrl), ct, parsed.GetValue(webhookPage)));
        var webhookInfo = new Command("info", "Show the webhook Telegram has, its pending updates and its last error.");
        webhookInfo.SetAction((_, ct) => Verbs.WebhookAsync("info", null, ct));
        var webhookDelete = new Command("delete", "Stop sending updates to the webhook (to use 'listen' instead).");
        webhookDelete.SetAction((_, ct) => Verbs.WebhookAsync("delete", null, ct));
        var webhook = new Command("webhook", "Register, inspect or remove the bot's webhook.") { webhookSet, webhookInfo, webhookDelete };

        // Named for the command people type, whether it runs built (dotnet Syndication.Cli.dll) or installed as a tool.
        return new Command("syndication", "Syndication: news feeds to Telegram alerts.") { run, schedule, work, check, preview, status, configCommand, opml, listen, serve, webhook, Verbose, new HelpOption(), new VersionOption() };
    }
}
