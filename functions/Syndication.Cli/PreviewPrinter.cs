using Syndication.Config;
using Spectre.Console;
using Syndication.Previews;

namespace Syndication.Cli;

/// <summary>Prints a preview: a table per feed of items and rule verdicts with their reasons, then each message as Telegram gets it.</summary>
static class PreviewPrinter
{
    public static void Print(IReadOnlyList<PreviewFeed> feeds, bool json)
    {
        if (json)
        {
            Console.Out.WriteLine(CliJson.Write(feeds));
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected) console.Profile.Width = 160;
        foreach (var feed in feeds)
        {
            console.Write(new Rule(Markup.Escape($"{feed.FeedId ?? "ad-hoc feed"}  {feed.Location}")).LeftJustified());
            if (feed.Error is not null)
            {
                console.MarkupLine($"[red]failed:[/] {Markup.Escape(feed.Error)}");
                continue;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "Item", "Rule", "Why");
            var n = 0;
            foreach (var item in feed.Items)
            {
                n++;
                var title = Markup.Escape(item.Title) + (item.Published is { } p ? $"\n[grey]{p.UtcDateTime:yyyy-MM-dd HH:mm} UTC[/]" : "");
                if (item.Rules.Count == 0) table.AddRow(n.ToString(), title, "[grey]no rule covers this feed[/]", "");
                foreach (var (verdict, i) in item.Rules.Select((v, i) => (v, i)))
                {
                    var rule = verdict.Matched ? $"[green]✓ {Markup.Escape(verdict.RuleId)}[/]" : $"[grey]✗ {Markup.Escape(verdict.RuleId)}[/]";
                    var why = verdict.Matched || verdict.BlockedBy.Count > 0
                        ? string.Join('\n', verdict.Hits.Concat(verdict.BlockedBy).Select(h => $"{(verdict.BlockedBy.Contains(h) ? "blocked by" : "hit")} '{h.Term}' in {h.Field}: {h.Snippet}"))
                        : verdict.Reason;
                    if (verdict.ChannelBlocks.Count > 0)
                        why += string.Concat(verdict.ChannelBlocks.Select(b => $"\nnot to {b.ChannelId}: its noneOf '{b.By.Term}' in {b.By.Field}"));
                    table.AddRow(i == 0 ? n.ToString() : "", i == 0 ? title : "", rule, Markup.Escape(why));
                }
            }
            console.Write(table);
            foreach (var (item, story) in feed.Items.Where(i => i.Story is not null).Select(i => (i, i.Story!)))
            {
                console.MarkupLine($"Story of \"{Markup.Escape(item.Title)}\": {Counted.Of(story.Outlets.Count, "outlet")} ({Markup.Escape(string.Join(", ", story.Outlets.Select(o => o.Name)))})"
                    + (story.GrowingIn.Count > 0 ? $"; [yellow]growing in {Markup.Escape(string.Join(", ", story.GrowingIn))}[/]" : ""));
                foreach (var wait in story.Waiting) console.MarkupLine($"  [grey]{Markup.Escape(wait)}[/]");
                foreach (var channel in story.Channels)
                    console.MarkupLine($"  [grey]{Markup.Escape(channel.ChannelId)} had it: {Markup.Escape(string.Join("; ", channel.Trail.Select(t => $"{(t.Version is null ? "alert" : "edit " + t.Version)} {(t.Sent ? "sent" : "waiting")} {t.At:u}")))}[/]");
            }
            foreach (var (item, message) in feed.Items.SelectMany(i => i.Messages.Select(m => (i, m))))
            {
                console.MarkupLine($"[bold]Message to {Markup.Escape(message.ChannelId)} ({Markup.Escape(message.Chat)})[/] for \"{Markup.Escape(item.Title)}\":"
                    + (message.Delivery is { } delivery ? $" [grey]{Markup.Escape(delivery)}[/]" : ""));
                // Exactly as Telegram receives it: written past the console so nothing is wrapped or re-styled.
                Console.Out.WriteLine(message.Html);
                Console.Out.WriteLine();
            }
            console.MarkupLine($"{Counted.Of(feed.Items.Count, "item")}, {feed.Items.Count(i => i.Rules.Any(v => v.Matched))} matched, {Counted.Of(feed.Items.Sum(i => i.Messages.Count), "message")}.");
        }
    }
}
