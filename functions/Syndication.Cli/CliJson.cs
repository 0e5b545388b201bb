using System.Text.Encodings.Web;
using System.Text.Json;
using Syndication.Storage;

namespace Syndication.Cli;

/// <summary>
/// JSON for a person's terminal and a script alike: the field names storage uses, with <c>&lt;b&gt;</c>, <c>'</c> and
/// non-Latin text written as themselves rather than as <c>\u003C</c> escapes. Valid JSON either way; this is what is
/// printed, never embedded in HTML.
/// </summary>
static class CliJson
{
    public static readonly JsonSerializerOptions Options = new(BlobJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);
}
