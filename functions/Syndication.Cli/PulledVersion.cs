using Azure;
using Syndication.Primitives;

namespace Syndication.Cli;

/// <summary>
/// What <c>config pull</c> and <c>config push</c> remember beside a file, in <c>FILE.etag</c>: the live version the file was
/// based on (for the next push's If-Match) and a hash of the text as pulled or pushed (so a pull can tell local edits).
/// </summary>
static class PulledVersion
{
    public static async Task<(ETag ETag, string? ContentHash)?> ReadAsync(string file, CancellationToken cancellationToken)
    {
        var sidecar = file + ".etag";
        if (!File.Exists(sidecar)) return null;
        var lines = (await File.ReadAllTextAsync(sidecar, cancellationToken)).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? null : (new ETag(lines[0]), lines.Length > 1 ? lines[1] : null);
    }

    public static Task WriteAsync(string file, ETag etag, string json, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(file + ".etag", $"{etag}\n{Hash(json)}\n", cancellationToken);

    public static string Hash(string json) => Hashes.Hex(json, 32);
}
