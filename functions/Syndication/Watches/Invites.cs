using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Config;
using Syndication.Primitives;
using Syndication.Storage;

namespace Syndication.Watches;

/// <summary>An invitation an editor made: who, when, until when. The code itself is not kept, only its hash (the blob's name).</summary>
public sealed record Invite(long CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>What became of a code a person sent with <c>/start</c>.</summary>
public enum InviteOutcome
{
    Admitted,
    Unknown,
    Expired,
}

/// <summary>
/// One-time invitation codes, as pure functions: ten characters from an alphabet without look-alikes (no 0/O, 1/I/L),
/// about 49 bits, so guessing one at 20 commands a minute takes longer than any code lives.
/// </summary>
public static class InviteCodes
{
    public const int Length = 10;

    /// <summary>How long an unused code works.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>A new code from the system's cryptographic random source.</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>The code as typed (any case, spaces or dashes between), or null when it cannot be one.</summary>
    public static string? Read(string typed)
    {
        var code = new string([.. typed.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant)]);
        return code.Length == Length && code.All(Alphabet.Contains) ? code : null;
    }

    /// <summary>The blob an invitation is kept in, named by the code's hash: storage never holds a usable code.</summary>
    public static string BlobName(string code) => $"invites/{Hashes.Hex(code, 32)}.json";

    /// <summary>Whether a person may use the subscriber's commands: anyone when open; when by invitation, those admitted, and editors.</summary>
    public static bool MayWatch(SubscriptionMode mode, bool admitted, bool editor) =>
        mode == SubscriptionMode.Open || mode == SubscriptionMode.Invite && (admitted || editor);
}

/// <summary>Invitations in blobs, <c>feeds/invites/{hash}.json</c>: made by <c>/invite</c>, deleted when used or expired.</summary>
public sealed class InviteStore(StorageContainers containers, CorruptBlobs corrupt, TimeProvider time)
{
    /// <summary>Makes a code for <paramref name="editor"/> to hand out, and clears away expired ones.</summary>
    public async Task<(string Code, Invite Invite)> CreateAsync(long editor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await foreach (var blob in ListAsync(cancellationToken))
            if (ExpiresAt(blob) <= now) await containers.Feeds.GetBlobClient(blob.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        while (true)
        {
            var code = InviteCodes.New();
            var invite = new Invite(editor, now, now + InviteCodes.Lifetime);
            var metadata = new Dictionary<string, string> { [ExpiresKey] = invite.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (await BlobJson.TryCreateAsync(containers.Feeds.GetBlobClient(InviteCodes.BlobName(code)), invite, cancellationToken, metadata)) return (code, invite);
        }
    }

    const string ExpiresKey = "expires";

    IAsyncEnumerable<BlobItem> ListAsync(CancellationToken cancellationToken) =>
        containers.Feeds.GetBlobsAsync(new GetBlobsOptions { Prefix = "invites/", Traits = BlobTraits.Metadata }, cancellationToken);

    /// <summary>When the listed invitation expires, from its metadata (so counting them needs only a listing); now when unreadable.</summary>
    DateTimeOffset ExpiresAt(BlobItem blob) =>
        blob.Metadata.TryGetValue(ExpiresKey, out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : time.GetUtcNow();

    /// <summary>Uses the code up: only one person is admitted by it, however many send it at once.</summary>
    public async Task<InviteOutcome> RedeemAsync(string code, CancellationToken cancellationToken)
    {
        var blob = containers.Feeds.GetBlobClient(InviteCodes.BlobName(code));
        if (await corrupt.ReadAsync<Invite>(blob, cancellationToken) is not { } read) return InviteOutcome.Unknown;
        try
        {
            await blob.DeleteAsync(conditions: new BlobRequestConditions { IfMatch = read.ETag }, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return InviteOutcome.Unknown; // someone else used it first
        }
        return read.Value.ExpiresAt > time.GetUtcNow() ? InviteOutcome.Admitted : InviteOutcome.Expired;
    }

    /// <summary>Invitations made and not yet used or expired, for <c>status</c>.</summary>
    public async Task<int> CountOpenAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        var now = time.GetUtcNow();
        await foreach (var blob in ListAsync(cancellationToken))
            if (ExpiresAt(blob) > now) count++;
        return count;
    }
}
