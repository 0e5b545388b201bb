using Spectre.Console;
using Syndication.Sweeps;

namespace Syndication.Cli;

/// <summary>Prints <c>status</c>: a table of feeds and a table of channels, or the same as JSON.</summary>
static class StatusPrinter
{
    public static void Print(StatusReport status, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(CliJson.Write(status));
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = 160;

        var feeds = new Table().Border(TableBorder.Rounded).AddColumns("Feed", "Last success", "Failures", "Next due", "Validator", "Last error", "Articles");
        foreach (var feed in status.Feeds)
            feeds.AddRow(
                Markup.Escape(feed.FeedId) + (feed.Broken ? " [red](broken)[/]" : "") + (feed.MovedTo is { } moved ? $"\n[yellow]moved to {Markup.Escape(moved)}[/]" : ""),
                When(feed.LastSuccessAt), feed.ConsecutiveFailures == 0 ? "0" : $"[red]{feed.ConsecutiveFailures}[/]",
                feed.NextDueAt is { } due ? When(due) : "next sweep", Markup.Escape(feed.ETag ?? ""),
                Markup.Escape(feed.LastError is null ? "" : $"{feed.LastError} ({When(feed.LastErrorAt)})"), feed.ArticlesStored.ToString());
        console.Write(feeds);

        var channels = new Table().Border(TableBorder.Rounded).AddColumns("Channel", "Chat", "Pending", "Dead letters", "Health");
        foreach (var channel in status.Channels)
            channels.AddRow(Markup.Escape(channel.ChannelId), Markup.Escape(channel.Chat), channel.Pending.ToString(), channel.DeadLetters.ToString(),
                channel.Failing is { } failing ? $"[red]failing since {When(failing.Since)}: {Markup.Escape(failing.Reason)}[/]" : "[green]ok[/]");
        console.Write(channels);
        if (status.Subscribers is { } people) console.WriteLine(people.Line);
        if (status.Quarantined.Count > 0)
            console.MarkupLine($"[red]{status.Quarantined.Count} corrupt blob(s) set aside in the quarantine container[/] (inspect, fix or delete them): {Markup.Escape(string.Join(", ", status.Quarantined.Take(10)))}{(status.Quarantined.Count > 10 ? ", …" : "")}");
        if (status.PoisonedCount > 0)
        {
            console.MarkupLine($"[red]{status.PoisonedCount} queued work item(s) kept failing and were set aside in a poison queue[/] (fix the cause; the next cycle schedules the same feeds again):");
            foreach (var poison in status.Poisoned.Take(10))
                console.MarkupLine($"  {Markup.Escape(poison.Queue)}, {When(poison.FailedAt)}, after {poison.Attempts} attempt(s): {Markup.Escape(poison.Reason)}");
        }
    }

    static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'") : "never";
}
