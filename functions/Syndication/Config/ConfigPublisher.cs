using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Storage;

namespace Syndication.Config;

/// <summary>The live configuration changed since the editor's copy was pulled; nothing was overwritten.</summary>
public sealed class ConfigConflictException(string message) : Exception(message);

/// <summary>
/// Publishes the editors' configuration to the <c>config/syndication.json</c> blob, and reads it back. A push names the
/// version it was based on (its ETag), so two editors pushing at once cannot overwrite each other: the second gets a
/// conflict instead (RFC 9110 §13.1.1, If-Match).
/// </summary>
public sealed class ConfigPublisher(StorageContainers containers, ConfigHistory history)
{
    /// <summary>
    /// Validates <paramref name="json"/> and uploads it, unless the live configuration already reads exactly so. Returns
    /// the live version, and whether this push changed it.
    /// </summary>
    /// <param name="basedOn">The ETag the editor pulled; null means the editor expects no live config yet.</param>
    /// <param name="force">Overwrite whatever is live.</param>
    /// <param name="record">Record the push in the history (a change from Telegram records its own entry).</param>
    /// <param name="validated">The caller has validated <paramref name="json"/> already.</param>
    public async Task<(ETag ETag, bool Changed)> PushAsync(string json, string source, ETag? basedOn, bool force, CancellationToken cancellationToken, bool record = true, bool validated = false)
    {
        if (!validated) ConfigParser.Parse(json, source); // throws ConfigException: an invalid file never goes live
        await containers.Config.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var blob = containers.Config.GetBlobClient(ConfigSource.BlobName);
        // The same text again is not a new version: no write, and editors who pulled it are not told it changed.
        var current = await PullAsync(cancellationToken);
        if (current is { } same && same.Json == json) return (same.ETag, false);
        var conditions = force ? null
            : basedOn is { } etag ? new BlobRequestConditions { IfMatch = etag }
            : new BlobRequestConditions { IfNoneMatch = ETag.All };
        // Recorded before it goes live, so a live configuration is always in the history; taken out again if it does not.
        var entry = record
            ? await history.AppendAsync(null, source, force ? "config push --force" : "config push", "published the whole configuration", current?.Json ?? "", json, null, cancellationToken)
            : null;
        try
        {
            var result = await blob.UploadAsync(BinaryData.FromString(json), new BlobUploadOptions
            {
                Conditions = conditions,
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" },
            }, cancellationToken);
            if (entry is not null) await history.ConfirmAsync(entry, cancellationToken);
            return (result.Value.ETag, true);
        }
        catch (Exception ex)
        {
            if (entry is not null) await history.DiscardAsync(entry);
            if (ex is not RequestFailedException { Status: 409 or 412 }) throw;
            var live = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            throw new ConfigConflictException(basedOn is null
                ? $"a configuration is already live at {blob.BlobContainerName}/{blob.Name} (version {live.Value.ETag}), and this file was not pulled from it. Pull it, merge your changes, and push again, or push with --force to replace it."
                : $"the live configuration at {blob.BlobContainerName}/{blob.Name} changed since you pulled it (you had version {basedOn}, it is now {live.Value.ETag}). Pull it again, merge your changes, and push again, or push with --force to replace it.");
        }
    }

    /// <summary>The live configuration and its ETag, or null when none has been pushed.</summary>
    public async Task<(string Json, ETag ETag)?> PullAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await containers.Config.GetBlobClient(ConfigSource.BlobName).DownloadContentAsync(cancellationToken);
            return (result.Value.Content.ToString(), result.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
