using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Syndication.Primitives;

namespace Syndication.Storage;

/// <summary>JSON documents in blobs, with the conditional writes that make the pipeline idempotent.</summary>
public static class BlobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new UtcTimestampConverter() },
    };

    /// <summary>The same, one line per document: for logs of JSON lines and queue messages.</summary>
    public static readonly JsonSerializerOptions Compact = new(Options) { WriteIndented = false };

    static readonly BlobHttpHeaders JsonHeaders = new() { ContentType = "application/json; charset=utf-8" };

    /// <summary>Creates the blob only if it does not exist yet (<c>If-None-Match: *</c>). Returns false when it already did.</summary>
    public static async Task<bool> TryCreateAsync<T>(BlobClient blob, T value, CancellationToken cancellationToken, IDictionary<string, string>? metadata = null)
    {
        try
        {
            await blob.UploadAsync(Serialize(value), new BlobUploadOptions
            {
                HttpHeaders = JsonHeaders,
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                Metadata = metadata,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Writes the blob, replacing it only if it is still at <paramref name="ifMatch"/> when one is given.</summary>
    public static Task WriteAsync<T>(BlobClient blob, T value, ETag? ifMatch, CancellationToken cancellationToken, IDictionary<string, string>? metadata = null) =>
        WriteAsync(blob, value, ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : null, cancellationToken, metadata);

    /// <summary>Writes the blob under the given conditions, and returns its new version.</summary>
    public static async Task<BlobContentInfo> WriteAsync<T>(BlobClient blob, T value, BlobRequestConditions? conditions, CancellationToken cancellationToken, IDictionary<string, string>? metadata = null) =>
        (await blob.UploadAsync(Serialize(value), new BlobUploadOptions { HttpHeaders = JsonHeaders, Conditions = conditions, Metadata = metadata }, cancellationToken)).Value;

    public static async Task<(T Value, ETag ETag)?> ReadAsync<T>(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var result = await blob.DownloadContentAsync(cancellationToken);
            var content = result.Value.Content;
            var etag = result.Value.Details.ETag;
            T? value;
            try
            {
                value = content.ToObjectFromJson<T>(Options);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or FormatException)
            {
                throw new CorruptBlobException(blob.BlobContainerName, blob.Name, Describe(ex), content, etag, ex);
            }
            // Valid JSON of the wrong shape ({} for a record, [null] for a list) is as unreadable as a truncated write.
            return JsonShape.Problem(value) is { } problem
                ? throw new CorruptBlobException(blob.BlobContainerName, blob.Name, value is null ? problem : $"not the expected shape: {problem}", content, etag)
                : (value!, etag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>A JSON error in words, with where it is: "invalid JSON at line 1, byte 4: …".</summary>
    static string Describe(Exception ex) => ex is JsonException { LineNumber: not null } json && !json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
        ? JsonErrorWords.Explain(json)
        : $"not the expected JSON: {ex.FirstLine().Split(" Path:")[0]}";

    static BinaryData Serialize<T>(T value) => BinaryData.FromObjectAsJson(value, Options);

    /// <summary>Timestamps are stored as ISO 8601 in UTC with a <c>Z</c>, whatever offset they were made with.</summary>
    sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }
}
