using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;

namespace Syndication.Storage;

/// <summary>A blob whose content is not the JSON the app wrote: truncated, hand-edited, or written by something else.</summary>
public sealed class CorruptBlobException(string container, string name, string reason, BinaryData content, ETag etag, Exception? inner = null)
    : Exception($"blob '{container}/{name}' is corrupt: {reason}", inner)
{
    public string Container { get; } = container;
    public string Name { get; } = name;
    public string Reason { get; } = reason;
    public BinaryData Content { get; } = content;
    public ETag ETag { get; } = etag;
}

/// <summary>
/// Sets corrupt blobs aside instead of letting one of them stop every run. The blob is copied, byte for byte, to the
/// <c>quarantine</c> container as <c>{container}/{name}</c> (kept for a person to inspect, never deleted by the app),
/// the original is removed unless the caller must keep it, and the run goes on as if the blob were missing.
/// </summary>
public sealed partial class CorruptBlobs(StorageContainers containers, TimeProvider time, ILogger<CorruptBlobs> logger)
{
    /// <summary>Reads a JSON blob; a corrupt one is set aside and read as missing (null).</summary>
    /// <param name="keepOriginal">Copy it to quarantine but leave it in place, for blobs whose mere existence means something (delivery records).</param>
    public async Task<(T Value, ETag ETag)?> ReadAsync<T>(BlobClient blob, CancellationToken cancellationToken, bool keepOriginal = false)
    {
        try
        {
            return await BlobJson.ReadAsync<T>(blob, cancellationToken);
        }
        catch (CorruptBlobException ex)
        {
            await SetAsideAsync(blob, ex, keepOriginal, cancellationToken);
            return null;
        }
    }

    public async Task SetAsideAsync(BlobClient blob, CorruptBlobException corrupt, bool keepOriginal, CancellationToken cancellationToken)
    {
        var name = $"{corrupt.Container}/{corrupt.Name}";
        await containers.Quarantine.GetBlobClient(name).UploadAsync(corrupt.Content, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            Metadata = new Dictionary<string, string> { ["reason"] = Ascii(corrupt.Reason), ["setasideat"] = time.GetUtcNow().ToString("O") },
        }, cancellationToken);
        if (!keepOriginal)
        {
            try
            {
                // Only the version that was read: a run that rewrote it meanwhile wrote good JSON, which stays.
                await blob.DeleteAsync(conditions: new BlobRequestConditions { IfMatch = corrupt.ETag }, cancellationToken: cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
            }
        }
        LogSetAside(corrupt.Container, corrupt.Name, containers.Quarantine.Name, name, corrupt.Reason);
    }

    /// <summary>Blob metadata is ASCII only.</summary>
    static string Ascii(string text) => new([.. text.Take(1000).Select(c => c is >= ' ' and <= '~' ? c : '?')]);

    [LoggerMessage(LogLevel.Error, "Blob {Container}/{BlobName} is corrupt and was set aside as {Quarantine}/{QuarantineName} for a person to inspect; the run goes on without it: {Reason}")]
    partial void LogSetAside(string container, string blobName, string quarantine, string quarantineName, string reason);
}
