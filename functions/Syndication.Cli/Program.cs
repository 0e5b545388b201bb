using System.CommandLine;
using Syndication.Cli;

var configOption = new Option<FileInfo?>("--config") { Description = "A local syndication.json; default: Syndication__ConfigPath, else the blob config/syndication.json." };
var dryRunOption = new Option<bool>("--dry-run") { Description = "Fetch, store and match, but print the messages instead of sending them." };

var run = new Command("run", "Run one sweep: fetch every feed, store new articles, match the rules and send the alerts.") { configOption, dryRunOption };
run.SetAction((parsed, ct) => Verbs.RunAsync(parsed.GetValue(configOption)?.FullName, parsed.GetValue(dryRunOption), ct));

var check = new Command("check", "Validate a configuration and print every problem with its JSON path.") { configOption };
check.SetAction((parsed, ct) => Verbs.CheckAsync(parsed.GetValue(configOption)?.FullName, ct));

var root = new RootCommand("Syndication: news feeds to Telegram alerts.") { run, check };
var result = root.Parse(args);
if (result.Errors.Count > 0)
{
    foreach (var error in result.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run 'syndication --help' for usage.");
    return ExitCodes.Usage;
}
return await result.InvokeAsync();
