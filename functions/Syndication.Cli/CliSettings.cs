using Microsoft.Extensions.Configuration;
using Syndication.Hosting;

namespace Syndication.Cli;

/// <summary>
/// What a verb reads of the app settings. Only these are checked, and the others are left out of its host, so a wrong
/// value in a setting the verb does not use (a bad bot token for <c>status</c>) never stops it.
/// </summary>
/// <param name="Storage">It reads or writes article storage, whose connection string is then checked.</param>
public sealed record Needs(bool Storage, params SettingsSection[] Sections);

/// <summary>The CLI's settings: environment variables, named as the Functions app's app settings are.</summary>
public static class CliSettings
{
    /// <summary>Every setting in the environment, as configuration keys (<c>Telegram__BotToken</c> becomes <c>Telegram:BotToken</c>).</summary>
    public static IConfiguration Environment() => new ConfigurationBuilder().AddEnvironmentVariables().Build();

    /// <summary>The settings a verb gets: the environment's, without the sections it does not use.</summary>
    public static IConfiguration For(IConfiguration environment, Needs needs)
    {
        var left = SettingsSection.All.Except(needs.Sections).Select(s => s.Name).ToList();
        var kept = environment.AsEnumerable()
            .Where(pair => pair.Value is not null && !left.Any(name => pair.Key.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)));
        return new ConfigurationBuilder().AddInMemoryCollection(kept).Build();
    }

    /// <summary>Every problem with the settings the verb uses, one line each.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration settings, Needs needs)
    {
        var problems = SettingsCheck.Problems(settings, needs.Sections).ToList();
        if (needs.Storage && SettingsCheck.StorageProblem(settings) is { } storage) problems.Add(storage);
        return problems;
    }

    /// <summary>
    /// Where article storage is, said once on stderr when it is the shared development address: another person's Azurite
    /// on 127.0.0.1:10000 is never used without a word.
    /// </summary>
    public static string? StorageNotice(IConfiguration settings) =>
        ServiceCollectionExtensions.StorageSection(settings) is { Value: { } value } section
        && value.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            ? $"Using the Azurite at 127.0.0.1:10000 ({section.Key}=UseDevelopmentStorage=true), whoever started it. For the storage scripts/sweep.sh keeps, run the verb with 'bash scripts/local.sh'."
            : null;
}
