using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Syndication.Primitives;
using Syndication.Settings;
using Syndication.Storage;

namespace Syndication.Config;

/// <summary>Loads the configuration from a local file, or from the blob <c>config/syndication.json</c> in article storage.</summary>
public sealed class ConfigSource(StorageContainers containers, IOptions<SyndicationOptions> options, TimeProvider time)
{
    public const string BlobName = "syndication.json";

    /// <summary>What a sweep works with now: as <see cref="LoadAsync"/>, with paused feeds and rules left out (<see cref="SyndicationConfig.ActiveAt"/>).</summary>
    public async Task<SyndicationConfig> LoadActiveAsync(string? path, CancellationToken cancellationToken) =>
        (await LoadAsync(path, cancellationToken)).ActiveAt(time.GetUtcNow());

    /// <summary>Loads from <paramref name="path"/>, else from <c>Syndication__ConfigPath</c>, else from the config blob.</summary>
    public async Task<SyndicationConfig> LoadAsync(string? path, CancellationToken cancellationToken)
    {
        path ??= options.Value.ConfigPath;
        return string.IsNullOrWhiteSpace(path) ? await LoadBlobAsync(cancellationToken) : await LoadFileAsync(path, cancellationToken);
    }

    async Task<SyndicationConfig> LoadBlobAsync(CancellationToken cancellationToken)
    {
        var blob = containers.Config.GetBlobClient(BlobName);
        var source = $"blob '{blob.BlobContainerName}/{BlobName}'";
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return ParseOnce(content.Value.Content.ToString(), source);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            throw new ConfigException(source, [new ConfigError("$", $"no configuration found; publish one with 'syndication config push FILE', or set Syndication__ConfigPath to a local file")]);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException)
        {
            throw new StorageUnavailableException($"could not read the configuration {source}: {ex.FirstLine()}", ex);
        }
    }

    /// <summary>Validates the config blob without throwing on an invalid config: every problem is in the result.</summary>
    public async Task<ConfigCheck> CheckBlobAsync(CancellationToken cancellationToken) =>
        await CheckAsync(() => LoadBlobAsync(cancellationToken), $"{containers.Config.Name}/{BlobName}");

    /// <summary>Validates a local file without throwing on an invalid config; needs no storage.</summary>
    public static async Task<ConfigCheck> CheckFileAsync(string path, CancellationToken cancellationToken) =>
        await CheckAsync(() => LoadFileAsync(path, cancellationToken), path);

    static async Task<ConfigCheck> CheckAsync(Func<Task<SyndicationConfig>> load, string source)
    {
        try
        {
            return new ConfigCheck(source, await load(), []);
        }
        catch (ConfigException ex)
        {
            return new ConfigCheck(ex.ConfigSource, null, ex.Errors);
        }
    }

    public static async Task<SyndicationConfig> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        var source = $"file '{path}'";
        var full = Path.GetFullPath(path);
        if (Directory.Exists(path))
            throw new ConfigUnreadableException($"The configuration {source} cannot be read: {full} is a folder; give the path of the configuration file inside it, such as syndication.json.");
        if (!File.Exists(path))
            throw new ConfigUnreadableException($"The configuration {source} cannot be read: there is no such file{(full == path ? "" : $" ({full})")}.");
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigUnreadableException($"The configuration {source} cannot be read: {ex.Message}", ex);
        }
        return ParseOnce(json, source);
    }

    static readonly ConcurrentDictionary<(string Source, string Json), SyndicationConfig> Parsed = new();
    static readonly ConcurrentQueue<(string Source, string Json)> ParsedOrder = new();
    const int MaxParsed = 64;

    /// <summary>
    /// The configuration is read every run (every minute, with DeliverPending), but changes rarely: the same text from the
    /// same place yields the same validated configuration, so its terms and templates are validated once per version.
    /// </summary>
    internal static SyndicationConfig ParseOnce(string json, string source)
    {
        if (Parsed.TryGetValue((source, json), out var cached)) return cached;
        var config = ConfigParser.Parse(json, source);
        if (Parsed.TryAdd((source, json), config)) ParsedOrder.Enqueue((source, json));
        while (Parsed.Count > MaxParsed && ParsedOrder.TryDequeue(out var oldest)) Parsed.TryRemove(oldest, out _);
        return config;
    }
}

/// <summary>The outcome of validating a configuration: the config when it is valid, else every problem found.</summary>
public sealed record ConfigCheck(string Source, SyndicationConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool Valid => Errors.Count == 0;

    /// <summary>Things to fix that do not stop the config from working, such as a feed whose address moved permanently.</summary>
    public IReadOnlyList<ConfigError> Warnings { get; init; } = [];
}
