using Syndication.Cli;

var root = CliCommands.Build();
var result = root.Parse(args);
Verbs.Verbose = result.GetValue(CliCommands.Verbose);
if (result.Errors.Count > 0)
{
    foreach (var error in result.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run 'syndication --help' for usage.");
    return ExitCodes.Usage;
}
return await result.InvokeAsync();
