using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Syndication.Config;

namespace Syndication.Editing;

/// <summary>What <c>/undo</c> may do for a person, decided from the change it would revert. Pure.</summary>
public abstract record UndoDecision
{
    /// <summary>Not undone, with the reason in words.</summary>
    public sealed record Refuse(string Message) : UndoDecision;

    /// <summary>Someone else's change: the person is told whose and what, and confirms with <c>/undo {EntryId}</c>.</summary>
    public sealed record Confirm(string Message, string EntryId) : UndoDecision;

    /// <summary>Undone.</summary>
    public sealed record Revert(HistoryEntry Target) : UndoDecision;
}

/// <summary>
/// Who may undo what. A person may undo only a change their role may make (an admin's feed change, or a push of the
/// whole file, only by an admin); a change to who may edit (<c>editors</c>, roles) is never undone from Telegram, so a
/// demoted admin cannot undo their demotion; and someone else's change is named, whose and what, before it is undone.
/// </summary>
public static class UndoRules
{
    /// <param name="target">The change an undo would revert (the newest live one not undone), or null.</param>
    /// <param name="confirmed">The entry the person confirmed (<c>/undo ID</c>, the button), or null for a bare <c>/undo</c>.</param>
    /// <param name="roleNeeded">The role the change's command needs.</param>
    public static UndoDecision Decide(HistoryEntry? target, EditorDefinition person, string? confirmed, EditorRole roleNeeded)
    {
        if (target is null) return new UndoDecision.Refuse("There is no change to undo.");
        var what = $"{target.By}'s {target.Command} ({target.Summary}, {target.At.UtcDateTime.ToString("dd MMM HH:mm 'UTC'", CultureInfo.InvariantCulture)})";
        if (confirmed is not null && confirmed != target.Id)
            return new UndoDecision.Refuse($"That change is no longer the last one, so nothing was undone. The last is {what}; /undo shows it.");
        if (target.Before.Length == 0)
            return new UndoDecision.Refuse($"The last change is the first configuration ({target.By}, {target.Command}); there is nothing before it to go back to.");
        if (TouchesEditors(target.Before, target.After))
            return new UndoDecision.Refuse($"The last change, {what}, changed who may edit (editors or roles); that is never undone from Telegram. An operator publishes the configuration wanted with `syndication config push FILE`.");
        if (roleNeeded == EditorRole.Admin && person.Role != EditorRole.Admin)
            return new UndoDecision.Refuse($"The last change is {what}; only an admin may undo it.");
        if (target.User != person.User && confirmed is null)
            return new UndoDecision.Confirm($"The last change is {what}. Undo it?", target.Id);
        return new UndoDecision.Revert(target);
    }

    /// <summary>Whether the change between two configurations' texts changed the <c>editors</c> list (who, or their roles).</summary>
    public static bool TouchesEditors(string before, string after) =>
        !JsonNode.DeepEquals(EditorsOf(before), EditorsOf(after));

    static JsonNode? EditorsOf(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })?["editors"];
        }
        catch (JsonException)
        {
            return JsonValue.Create(json); // unreadable: treated as touching everything
        }
    }
}
