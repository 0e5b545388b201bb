using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Syndication.Config;

namespace Syndication.Editing;

/// <summary>A change an editor asked for that cannot be made, in words for them.</summary>
public sealed class EditRefusedException(string message) : Exception(message)
{
    /// <summary>Refused because the configuration already reads as asked: nothing to change, not something wrong.</summary>
    public bool NothingToChange { get; init; }
}

/// <summary>What came of a change to the live configuration.</summary>
public abstract record ChangeOutcome(string Message)
{
    /// <summary>Made and recorded.</summary>
    public sealed record Done(string Message, HistoryEntry Entry) : ChangeOutcome(Message);

    /// <summary>Not made: the change is invalid (with the same words and JSON path as <c>check</c>), or makes no sense.</summary>
    public sealed record Refused(string Message) : ChangeOutcome(Message);

    /// <summary>Not made: someone else changed the configuration since it was read; nothing was overwritten.</summary>
    public sealed record Conflict(string Message) : ChangeOutcome(Message);

    /// <summary>Not made yet: the person confirms it with the command given (an undo of someone else's change).</summary>
    public sealed record Confirm(string Message, string Command) : ChangeOutcome(Message);
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
    /// Reverts the newest live change not yet undone, as <see cref="UndoRules"/> allows <paramref name="person"/>, if the
    /// live configuration is still exactly what that change left (else a later change would be lost, and the editor is
    /// told which). The undo is itself recorded. Only listings are read to find the change, and only it is downloaded.
    /// </summary>
    /// <param name="confirmed">The entry the person confirmed undoing; null for a bare <c>/undo</c>.</param>
    /// <param name="roleOf">The role a recorded command needs.</param>
    public async Task<ChangeOutcome> UndoAsync(EditorDefinition person, string? confirmed, Func<string, EditorRole> roleOf, CancellationToken cancellationToken)
    {
        if (await publisher.PullAsync(cancellationToken) is not { } live)
            return new ChangeOutcome.Refused("There is no live configuration to undo a change in.");
        var mark = HistoryChain.UndoTarget(HistoryChain.Live(await history.MarksAsync(cancellationToken), ConfigHistory.Hash(live.Json)));
        var last = mark is null ? null : await history.ReadAsync(mark.Id, cancellationToken);
        switch (UndoRules.Decide(last, person, confirmed, last is null ? EditorRole.Editor : roleOf(last.Command)))
        {
            case UndoDecision.Refuse refuse:
                return new ChangeOutcome.Refused(refuse.Message);
            case UndoDecision.Confirm confirm:
                return new ChangeOutcome.Confirm(confirm.Message, "/undo " + confirm.EntryId);
        }
        if (live.Json != last!.After)
            return new ChangeOutcome.Conflict($"The configuration was changed after {last.By}'s {last.Command} in a way the history does not show (a push with --force?); undoing it would lose that change. Nothing was changed.");
        return await WriteAsync(person.User, person.Name, "/undo", $"undid {last.By}'s {last.Command} ({last.Summary})", live.Json, last.Before, live.ETag, last.Id, cancellationToken);
    }

    async Task<ChangeOutcome> WriteAsync(long? user, string by, string command, string summary, string before, string after, ETag basedOn, string? undoes, CancellationToken cancellationToken)
    {
        if (after == before) return new ChangeOutcome.Refused($"Nothing to change: {summary}.");
        try
        {
            // Validated exactly as check validates: an invalid configuration never goes live, nor into the history.
            ConfigParser.Parse(after, by);
        }
        catch (ConfigException ex)
        {
            return new ChangeOutcome.Refused("That change would make the configuration invalid, so nothing was changed:\n"
                + string.Join('\n', ex.Errors.Take(10).Select(e => e.ToString())));
        }
        // The history first: a change that goes live is always in it. If this write fails, nothing has changed.
        var entry = await history.AppendAsync(user, by, command, summary, before, after, undoes, cancellationToken);
        try
        {
            await publisher.PushAsync(after, by, basedOn, force: false, cancellationToken, record: false, validated: true);
        }
        catch (ConfigConflictException)
        {
            await history.DiscardAsync(entry);
            var newer = (await history.ListAsync(1, (await publisher.PullAsync(cancellationToken))?.Json, cancellationToken)).FirstOrDefault();
            return new ChangeOutcome.Conflict("The configuration changed while your command ran"
                + (newer is null ? "" : $" ({newer.By}: {newer.Command}, {newer.At:HH:mm} UTC)")
                + ". Nothing was changed; look again and repeat the command if it still applies.");
        }
        catch
        {
            await history.DiscardAsync(entry); // readers would leave it out anyway: the configuration never read as it says
            throw;
        }
        await history.ConfirmAsync(entry, cancellationToken);
        return new ChangeOutcome.Done(summary, entry);
    }
}
