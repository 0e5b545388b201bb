using Azure;
using Syndication.Primitives;
using Syndication.Storage;

namespace Syndication.Delivery;

/// <summary>A chat's pacing, handed from one drain to the next through the channel's lease, whichever instance holds it.</summary>
public sealed partial class Dispatcher
{
    /// <summary>The lease's note of the chat's last sends, as the metadata of the channel's lock blob: unix milliseconds.</summary>
    const string PacingNote = "sent";

    /// <summary>Paces after the chat's last sends, which another instance may have made under this lease before; returns the note read.</summary>
    async Task<string?> TakeOverPacingAsync(HeldLease lease, string channelId, string chat, CancellationToken cancellationToken)
    {
        try
        {
            var note = await lease.ReadNoteAsync(PacingNote, cancellationToken);
            var sends = (note ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => long.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null)
                .OfType<DateTimeOffset>();
            flood.Remember(chat, sends);
            return note;
        }
        catch (RequestFailedException ex)
        {
            LogPacingNote(channelId, ex.FirstLine());
            return null;
        }
    }

    /// <summary>
    /// Leaves the chat's last sends with the lease, so whichever instance drains the channel next paces after them; no
    /// write when they are the ones it read (a drain that sent nothing).
    /// </summary>
    async Task HandOverPacingAsync(HeldLease lease, string channelId, string chat, string? read)
    {
        var recent = flood.Recent(chat);
        var note = string.Join(',', recent.Select(t => t.ToUnixTimeMilliseconds()));
        if (recent.Count == 0 || note == read) return;
        try
        {
            await lease.WriteNoteAsync(PacingNote, note, CancellationToken.None);
        }
        catch (RequestFailedException ex)
        {
            LogPacingNote(channelId, ex.FirstLine());
        }
    }
}
