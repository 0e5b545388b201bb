using System.Globalization;
using Azure.Storage.Blobs.Models;
using Syndication.Storage;

namespace Syndication.Editing;

/// <summary>
/// One change to the live configuration: who made it, when, with what command, what it changed in words, and the whole
/// configuration before and after (so it can be undone exactly). <paramref name="Undoes"/> names the entry an undo reverted.
/// </summary>
public sealed record HistoryEntry(string Id, DateTimeOffset At, long? User, string By, string Command, string Summary, string Before, string After)
{
    public string? Undoes { get; init; }
}

/// <summary>
/// The history of every change to the live configuration, one blob each under <c>config/history/</c>, named so that a
/// listing reads newest first. Changes made from Telegram and pushes from the command line both land here.
/// </summary>
public sealed class ConfigHistory(StorageContainers containers, TimeProvider time)
{
    const string Prefix = "history/";

    /// <summary>Records a change and returns its entry.</summary>
    public async Task<HistoryEntry> AppendAsync(long? user, string by, string command, string summary, string before, string after, string? undoes, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        await containers.Config.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        // Newest first in a listing: the name starts with the ticks left until the end of time, and always sorts before
        // the newest entry's, so the order of changes holds even when two come within one tick of a clock.
        var left = DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks;
        await foreach (var newest in containers.Config.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix }, cancellationToken))
        {
            if (long.TryParse(newest.Name.AsSpan(Prefix.Length, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var newestLeft) && newestLeft <= left) left = newestLeft - 1;
            break;
        }
        var id = left.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var entry = new HistoryEntry(id, at, user, by, command, summary, before, after) { Undoes = undoes };
        await BlobJson.TryCreateAsync(containers.Config.GetBlobClient(Prefix + id + ".json"), entry, cancellationToken);
        return entry;
    }

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> ListAsync(int count, CancellationToken cancellationToken)
    {
        var entries = new List<HistoryEntry>();
        await foreach (var entry in NewestFirstAsync(cancellationToken))
        {
            entries.Add(entry);
            if (entries.Count == count) break;
        }
        return entries;
    }

    /// <summary>Every entry, newest first, each read only when the caller asks for it.</summary>
    public async IAsyncEnumerable<HistoryEntry> NewestFirstAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!await containers.Config.ExistsAsync(cancellationToken)) yield break;
        await foreach (var blob in containers.Config.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix }, cancellationToken))
        {
            (HistoryEntry Value, Azure.ETag ETag)? read;
            try
            {
                read = await BlobJson.ReadAsync<HistoryEntry>(containers.Config.GetBlobClient(blob.Name), cancellationToken);
            }
            catch (CorruptBlobException)
            {
                continue; // an entry that cannot be read is left out; the rest of the history still reads
            }
            if (read is { } entry) yield return entry.Value;
        }
    }
}
