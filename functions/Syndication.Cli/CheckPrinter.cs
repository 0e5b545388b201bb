using Syndication.Config;

namespace Syndication.Cli;

/// <summary>Prints the result of <c>check</c>: every problem with its path, or a short inventory of a clean config.</summary>
static class CheckPrinter
{
    public static void Print(ConfigCheck result, bool json)
    {
        var config = result.Config;
        if (json)
        {
            Console.Out.WriteLine(CliJson.Write(new
            {
                source = result.Source,
                valid = result.Valid,
                errors = result.Errors.Select(e => new { path = e.Path, message = e.Message }),
                warnings = result.Warnings.Select(e => new { path = e.Path, message = e.Message }),
                feeds = config?.Feeds.Count,
                channels = config?.Channels.Count,
                rules = config?.Rules.Count,
                enabledRules = config?.Rules.Count(r => r.Enabled),
            }));
            return;
        }
        if (config is null)
        {
            Console.Error.WriteLine($"{result.Source} has {Counted.Of(result.Errors.Count, "problem")}:");
            foreach (var error in result.Errors) Console.Error.WriteLine($"  {error}");
            return;
        }
        foreach (var warning in result.Warnings) Console.Out.WriteLine($"warning: {warning}");
        var disabled = config.Rules.Count(r => !r.Enabled);
        Console.Out.WriteLine($"Configuration is valid: {Counted.Of(config.Feeds.Count, "feed")}, {Counted.Of(config.Channels.Count, "channel")}, {Counted.Of(config.Rules.Count, "rule")}" +
            (disabled > 0 ? $" ({disabled} disabled)." : "."));
    }
}
