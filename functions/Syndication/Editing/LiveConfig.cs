using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Syndication.Config;

namespace Syndication.Editing;

/// <summary>A change an editor asked for that cannot be made, in words for them.</summary>
public sealed class EditRefusedException(string message) : Exception(message);

/// <summary>What came of a change to the live configuration.</summary>
public abstract record ChangeOutcome(string Message)
{
    /// <summary>Made and recorded.</summary>
    public sealed record Done(string Message, HistoryEntry Entry) : ChangeOutcome(Message);

    /// <summary>Not made: the change is invalid (with the same words and JSON path as <c>check</c>), or makes no sense.</summary>
    public sealed record Refused(string Message) : ChangeOutcome(Message);

    /// <summary>Not made: someone else changed the configuration since it was read; nothing was overwritten.</summary>
    public sealed record Conflict(string Message) : ChangeOutcome(Message);
}

/// <summary>
/// Changes the live configuration (<c>config/syndication.json</c>) on an editor's behalf: reads it with its version,
/// applies the change to its JSON, validates the result exactly as <c>check</c> does, writes it only if the live version is
/// still the one read (If-Match), and records the change in the history. The JSON file and <c>config push</c> edit the same
/// blob under the same condition, so neither overwrites the other silently.
/// </summary>
public sealed class LiveConfig(ConfigPublisher publisher, ConfigHistory history)
{
    static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Written as editors would write it: indented, and Urdu or accents as themselves rather than escaped.</summary>
    static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The live configuration, validated (once per version, as sweeps read it), with its version; null when none has been published.</summary>
    public async Task<(SyndicationConfig Config, string Json, ETag ETag)?> ReadAsync(CancellationToken cancellationToken) =>
        await publisher.PullAsync(cancellationToken) is { } live ? (ConfigSource.ParseOnce(live.Json, "the live configuration"), live.Json, live.ETag) : null;

    /// <summary>
    /// Applies <paramref name="change"/> (which edits the JSON and returns what it did in words, or throws
    /// <see cref="EditRefusedException"/>) to the live configuration, on behalf of <paramref name="by"/>.
    /// </summary>
    public async Task<ChangeOutcome> ChangeAsync(long? user, string by, string command, Func<JsonObject, SyndicationConfig, string> change, CancellationToken cancellationToken)
    {
        if (await ReadAsync(cancellationToken) is not { } live)
            return new ChangeOutcome.Refused("There is no live configuration yet; an operator publishes one with `syndication config push FILE`.");
        var root = JsonNode.Parse(live.Json, NodeOptions, DocumentOptions)!.AsObject();
        string summary;
        try
        {
            summary = change(root, live.Config);
        }
        catch (EditRefusedException ex)
        {
            return new ChangeOutcome.Refused(ex.Message);
        }
        return await WriteAsync(user, by, command, summary, live.Json, root.ToJsonString(WriteOptions) + "\n", live.ETag, undoes: null, cancellationToken);
    }

    /// <summary>
    /// Reverts the newest change not yet undone, if the live configuration is still exactly what that change left (else a
    /// later change would be lost, and the editor is told which). The undo is itself recorded.
    /// </summary>
    public async Task<ChangeOutcome> UndoAsync(long? user, string by, CancellationToken cancellationToken)
    {
        // An undo is newer than what it undid, so walking newest first meets it before its target.
        var undone = new HashSet<string>(StringComparer.Ordinal);
        HistoryEntry? last = null;
        await foreach (var entry in history.NewestFirstAsync(cancellationToken))
        {
            if (entry.Undoes is { } target) undone.Add(target);
            else if (!undone.Contains(entry.Id))
            {
                last = entry;
                break;
            }
        }
        if (last is null) return new ChangeOutcome.Refused("There is no change to undo.");
        if (last.Before.Length == 0)
            return new ChangeOutcome.Refused($"The last change is the first configuration ({last.By}, {last.Command}); there is nothing before it to go back to.");
        if (await publisher.PullAsync(cancellationToken) is not { } live)
            return new ChangeOutcome.Refused("There is no live configuration to undo a change in.");
        if (live.Json != last.After)
            return new ChangeOutcome.Conflict($"The configuration was changed after {last.By}'s {last.Command} in a way the history does not show (a push with --force?); undoing it would lose that change. Nothing was changed.");
        return await WriteAsync(user, by, "/undo", $"undid {last.By}'s {last.Command} ({last.Summary})", live.Json, last.Before, live.ETag, last.Id, cancellationToken);
    }

    async Task<ChangeOutcome> WriteAsync(long? user, string by, string command, string summary, string before, string after, ETag basedOn, string? undoes, CancellationToken cancellationToken)
    {
        if (after == before) return new ChangeOutcome.Refused($"Nothing to change: {summary}.");
        try
        {
            // The push validates exactly as check does; an invalid configuration never goes live.
            await publisher.PushAsync(after, by, basedOn, force: false, cancellationToken, record: false);
        }
        catch (ConfigException ex)
        {
            return new ChangeOutcome.Refused("That change would make the configuration invalid, so nothing was changed:\n"
                + string.Join('\n', ex.Errors.Take(10).Select(e => e.ToString())));
        }
        catch (ConfigConflictException)
        {
            var newer = (await history.ListAsync(1, cancellationToken)).FirstOrDefault();
            return new ChangeOutcome.Conflict("The configuration changed while your command ran"
                + (newer is null ? "" : $" ({newer.By}: {newer.Command}, {newer.At:HH:mm} UTC)")
                + ". Nothing was changed; look again and repeat the command if it still applies.");
        }
        var entry = await history.AppendAsync(user, by, command, summary, before, after, undoes, cancellationToken);
        return new ChangeOutcome.Done(summary, entry);
    }
}
