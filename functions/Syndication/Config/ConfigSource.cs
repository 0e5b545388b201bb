using Microsoft.Extensions.Options;
using Syndication.Hosting;
using Syndication.Storage;

namespace Syndication.Config;

/// <summary>Loads the configuration from a local file, or from the blob <c>config/syndication.json</c> in article storage.</summary>
public sealed class ConfigSource(StorageContainers containers, IOptions<SyndicationOptions> options)
{
    public const string BlobName = "syndication.json";

    /// <summary>Loads from <paramref name="path"/>, else from <c>Syndication__ConfigPath</c>, else from the config blob.</summary>
    public async Task<SyndicationConfig> LoadAsync(string? path, CancellationToken cancellationToken)
    {
        path ??= options.Value.ConfigPath;
        if (!string.IsNullOrWhiteSpace(path)) return await LoadFileAsync(path, cancellationToken);

        var blob = containers.Config.GetBlobClient(BlobName);
        var source = $"blob '{blob.BlobContainerName}/{BlobName}'";
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return ConfigParser.Parse(content.Value.Content.ToString(), source);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            throw new ConfigException(source, [new ConfigError("$", $"no configuration found; upload syndication.json to the '{blob.BlobContainerName}' container, or set Syndication__ConfigPath to a local file")]);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException)
        {
            throw new StorageUnavailableException($"could not read the configuration {source}: {ex.Message.Split('\n')[0]}", ex);
        }
    }

    public static async Task<SyndicationConfig> LoadFileAsync(string path, CancellationToken cancellationToken)
    {
        var source = $"file '{path}'";
        string json;
        try
        {
            json = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(source, [new ConfigError("$", $"cannot be read: {ex.Message}")]);
        }
        return ConfigParser.Parse(json, source);
    }
}
