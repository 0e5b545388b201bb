using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Primitives;
using Syndication.Storage;

namespace Syndication.Config;

/// <summary>
/// One change to the live configuration: who made it, when, with what command, what it changed in words, and the whole
/// configuration before and after (so it can be undone exactly). <paramref name="Undoes"/> names the entry an undo reverted.
/// </summary>
public sealed record HistoryEntry(string Id, DateTimeOffset At, long? User, string By, string Command, string Summary, string Before, string After)
{
    public string? Undoes { get; init; }
}

/// <summary>
/// An entry as a listing shows it, without its content: enough to find the change <c>/undo</c> reverts and to leave out
/// an entry whose change never went live. <paramref name="BeforeHash"/> and <paramref name="AfterHash"/> are hashes of
/// the configuration before and after (null for entries written before they were kept).
/// </summary>
/// <param name="Pending">Written before its change went live, and not yet confirmed: it counts only if the change did.</param>
public sealed record HistoryMark(string Id, DateTimeOffset At, long? User, string? Undoes, string? BeforeHash, string? AfterHash, bool Pending);

/// <summary>
/// The history of every change to the live configuration, one blob each under <c>config/history/</c>, named so that a
/// listing reads newest first. Changes made from Telegram and pushes from the command line both land here. An entry is
/// written before its change goes live, so a live change is always in the history; one whose change then failed is
/// removed, or, if even that fails, left out by every reader because the configuration never read as it says. The
/// history keeps the newest <see cref="MaxEntries"/> changes and none older than <see cref="MaxAge"/> (the newest one always).
/// </summary>
public sealed class ConfigHistory(StorageContainers containers, TimeProvider time)
{
    const string Prefix = "history/";
    public const int MaxEntries = 500;
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(90);

    const string UserKey = "user", UndoesKey = "undoes", BeforeKey = "before", AfterKey = "after", PendingKey = "pending", AtKey = "at";

    /// <summary>A short hash of a configuration's text: equal texts, equal hashes.</summary>
    public static string Hash(string json) => json.Length == 0 ? "" : Hashes.Hex(json, 16);

    /// <summary>Records a change, marked pending until <see cref="ConfirmAsync"/>, and returns its entry.</summary>
    public async Task<HistoryEntry> AppendAsync(long? user, string by, string command, string summary, string before, string after, string? undoes, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        await containers.Config.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var marks = await MarksAsync(cancellationToken);
        // Newest first in a listing: the name starts with the ticks left until the end of time, and always sorts before
        // the newest entry's, so the order of changes holds even when two come within one tick of a clock.
        var left = DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks;
        if (marks.Count > 0 && long.TryParse(marks[0].Id.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var newestLeft) && newestLeft <= left) left = newestLeft - 1;
        var id = left.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var entry = new HistoryEntry(id, at, user, by, command, summary, before, after) { Undoes = undoes };
        await BlobJson.TryCreateAsync(containers.Config.GetBlobClient(Prefix + id + ".json"), entry, cancellationToken, Metadata(entry, pending: true));
        await PruneAsync(marks, at, cancellationToken);
        return entry;
    }

    /// <summary>The change went live: the entry stands on its own. A failure here loses nothing (readers check pending entries).</summary>
    public async Task ConfirmAsync(HistoryEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await containers.Config.GetBlobClient(Prefix + entry.Id + ".json").SetMetadataAsync(Metadata(entry, pending: false), cancellationToken: cancellationToken);
        }
        catch (RequestFailedException)
        {
        }
    }

    /// <summary>What a listing shows of an entry (<see cref="HistoryMark"/>), as blob metadata.</summary>
    static Dictionary<string, string> Metadata(HistoryEntry entry, bool pending)
    {
        var metadata = new Dictionary<string, string>
        {
            [AtKey] = entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            [BeforeKey] = Hash(entry.Before),
            [AfterKey] = Hash(entry.After),
        };
        if (pending) metadata[PendingKey] = "1";
        if (entry.User is { } user) metadata[UserKey] = user.ToString(CultureInfo.InvariantCulture);
        if (entry.Undoes is { } undoes) metadata[UndoesKey] = undoes;
        return metadata;
    }

    /// <summary>The change did not go live: its entry goes. A failure here is harmless too (the entry never matches the configuration).</summary>
    public async Task DiscardAsync(HistoryEntry entry)
    {
        try
        {
            await containers.Config.GetBlobClient(Prefix + entry.Id + ".json").DeleteIfExistsAsync();
        }
        catch (RequestFailedException)
        {
        }
    }

    /// <summary>Every entry's mark, newest first, from listings alone (one request per 5,000 entries).</summary>
    public async Task<IReadOnlyList<HistoryMark>> MarksAsync(CancellationToken cancellationToken)
    {
        var marks = new List<HistoryMark>();
        if (!await containers.Config.ExistsAsync(cancellationToken)) return marks;
        await foreach (var blob in containers.Config.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix, Traits = BlobTraits.Metadata }, cancellationToken))
        {
            var id = blob.Name[Prefix.Length..].Replace(".json", "", StringComparison.Ordinal);
            IReadOnlyDictionary<string, string> meta = (blob.Metadata as IDictionary<string, string> ?? new Dictionary<string, string>()).AsReadOnly();
            var at = meta.TryGetValue(AtKey, out var ticks) && long.TryParse(ticks, CultureInfo.InvariantCulture, out var t) ? new DateTimeOffset(t, TimeSpan.Zero) : blob.Properties.CreatedOn ?? DateTimeOffset.MinValue;
            marks.Add(new HistoryMark(id, at, meta.TryGetValue(UserKey, out var user) && long.TryParse(user, CultureInfo.InvariantCulture, out var u) ? u : null,
                meta.GetValueOrDefault(UndoesKey), meta.GetValueOrDefault(BeforeKey), meta.GetValueOrDefault(AfterKey), meta.ContainsKey(PendingKey)));
        }
        return marks;
    }

    /// <summary>One entry in full; null when it is gone or cannot be read.</summary>
    public async Task<HistoryEntry?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return (await BlobJson.ReadAsync<HistoryEntry>(containers.Config.GetBlobClient(Prefix + id + ".json"), cancellationToken))?.Value;
        }
        catch (CorruptBlobException)
        {
            return null; // an entry that cannot be read is left out; the rest of the history still reads
        }
    }

    /// <summary>The newest <paramref name="count"/> changes that went live (<paramref name="liveJson"/> is the configuration now), newest first.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> ListAsync(int count, string? liveJson, CancellationToken cancellationToken)
    {
        var entries = new List<HistoryEntry>();
        foreach (var mark in HistoryChain.Live(await MarksAsync(cancellationToken), liveJson is null ? null : Hash(liveJson)))
        {
            if (await ReadAsync(mark.Id, cancellationToken) is { } entry) entries.Add(entry);
            if (entries.Count == count) break;
        }
        return entries;
    }

    async Task PruneAsync(IReadOnlyList<HistoryMark> marks, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The new entry is newer than all of these, so they may keep MaxEntries - 1 places.
        foreach (var mark in HistoryChain.Expired(marks, now, MaxEntries - 1, MaxAge))
        {
            try
            {
                await containers.Config.GetBlobClient(Prefix + mark.Id + ".json").DeleteIfExistsAsync(cancellationToken: cancellationToken);
            }
            catch (RequestFailedException)
            {
            }
        }
    }
}

/// <summary>Decisions over the history's marks, pure: which changes went live, which one an undo reverts, which are kept.</summary>
public static class HistoryChain
{
    /// <summary>
    /// The marks of changes that went live, newest first. Each change's configuration after is the next newer one's
    /// before (or the live configuration, for the newest); a pending mark that breaks that chain never went live and is
    /// left out. A confirmed mark always counts (a configuration written by hand breaks the chain without losing it).
    /// </summary>
    public static IEnumerable<HistoryMark> Live(IEnumerable<HistoryMark> newestFirst, string? liveHash)
    {
        var expected = liveHash;
        foreach (var mark in newestFirst)
        {
            if (mark.Pending && expected is not null && mark.AfterHash is not null && mark.AfterHash != expected) continue;
            expected = mark.BeforeHash;
            yield return mark;
        }
    }

    /// <summary>The newest change that went live and is not an undo nor undone: what <c>/undo</c> reverts; null when there is none.</summary>
    public static HistoryMark? UndoTarget(IEnumerable<HistoryMark> live)
    {
        // An undo is newer than what it undid, so walking newest first meets it before its target.
        var undone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mark in live)
        {
            if (mark.Undoes is { } target) undone.Add(target);
            else if (!undone.Contains(mark.Id)) return mark;
        }
        return null;
    }

    /// <summary>Marks beyond the newest <paramref name="keep"/>, and those older than <paramref name="maxAge"/> but the newest one.</summary>
    public static IEnumerable<HistoryMark> Expired(IReadOnlyList<HistoryMark> newestFirst, DateTimeOffset now, int keep, TimeSpan maxAge) =>
        newestFirst.Where((mark, index) => index >= keep || index > 0 && now - mark.At > maxAge);
}
