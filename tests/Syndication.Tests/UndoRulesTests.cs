using Syndication.Config;
using Syndication.Editing;

namespace Syndication.Tests;

/// <summary>Who may undo what, which changes went live, and which entries the history keeps: pure decisions over plain records.</summary>
public sealed class UndoRulesTests
{
    static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    static readonly EditorDefinition Ayesha = new(1, "Ayesha", EditorRole.Editor), Bilal = new(2, "Bilal", EditorRole.Admin);
    const string Before = """{ "editors": [ { "user": 2, "name": "Bilal", "role": "admin" } ], "feeds": [] }""";
    const string After = """{ "editors": [ { "user": 2, "name": "Bilal", "role": "admin" } ], "feeds": [ { "id": "dawn" } ] }""";

    static HistoryEntry Change(long? user, string by, string command, string before = Before, string after = After) =>
        new("0001-a", At, user, by, command, "what it did", before, after);

    [Fact]
    public void A_person_undoes_their_own_change_at_once_and_someone_elses_after_confirming_it()
    {
        Assert.IsType<UndoDecision.Revert>(UndoRules.Decide(Change(1, "Ayesha", "/add kayani ISI"), Ayesha, null, EditorRole.Editor));
        var ask = Assert.IsType<UndoDecision.Confirm>(UndoRules.Decide(Change(1, "Ayesha", "/add kayani ISI"), Bilal, null, EditorRole.Editor));
        Assert.Equal("The last change is Ayesha's /add kayani ISI (what it did, 01 Mar 09:00 UTC). Undo it?", ask.Message);
        Assert.IsType<UndoDecision.Revert>(UndoRules.Decide(Change(1, "Ayesha", "/add kayani ISI"), Bilal, ask.EntryId, EditorRole.Editor));
        Assert.Contains("no longer the last one", Assert.IsType<UndoDecision.Refuse>(UndoRules.Decide(Change(1, "Ayesha", "/add kayani ISI"), Bilal, "0000-older", EditorRole.Editor)).Message);
    }

    [Fact]
    public void An_editor_may_not_undo_what_only_an_admin_may_do_confirmed_or_not()
    {
        var removed = Change(2, "Bilal", "/removefeed dawn");
        Assert.Contains("only an admin may undo it", Assert.IsType<UndoDecision.Refuse>(UndoRules.Decide(removed, Ayesha, null, EditorRole.Admin)).Message);
        Assert.Contains("only an admin may undo it", Assert.IsType<UndoDecision.Refuse>(UndoRules.Decide(removed, Ayesha, removed.Id, EditorRole.Admin)).Message);
        Assert.IsType<UndoDecision.Revert>(UndoRules.Decide(removed, Bilal, null, EditorRole.Admin));
    }

    [Theory]
    [InlineData("""{ "editors": [ { "user": 2, "name": "Bilal", "role": "editor" } ], "feeds": [] }""")] // a role changed
    [InlineData("""{ "editors": [ { "user": 2, "name": "Bilal", "role": "admin" }, { "user": 3, "name": "Cyrus" } ], "feeds": [] }""")] // someone added
    [InlineData("""{ "feeds": [] }""")] // everyone removed
    public void A_change_to_who_may_edit_is_never_undone_from_Telegram_even_by_an_admin(string after)
    {
        var push = Change(null, "file 'syndication.json'", "config push", Before, after);
        Assert.Contains("changed who may edit", Assert.IsType<UndoDecision.Refuse>(UndoRules.Decide(push, Bilal, push.Id, EditorRole.Admin)).Message);
        Assert.False(UndoRules.TouchesEditors(Before, After));
    }

    static HistoryMark Mark(string id, string before, string after, bool pending = false, string? undoes = null, int daysAgo = 0) =>
        new(id, At.AddDays(-daysAgo), 1, undoes, before, after, pending);

    [Fact]
    public void A_pending_entry_whose_change_never_went_live_is_left_out_and_undone_changes_are_skipped()
    {
        // Newest first: an orphan (its push failed), an undo of c2, c2, c1. Live is "B" (c1's after, c2's before).
        var marks = new[] { Mark("orphan", "B", "X", pending: true), Mark("undo", "C", "B", undoes: "c2"), Mark("c2", "B", "C"), Mark("c1", "A", "B") };
        var live = HistoryChain.Live(marks, "B").Select(m => m.Id).ToList();
        Assert.Equal(["undo", "c2", "c1"], live);
        Assert.Equal("c1", HistoryChain.UndoTarget(HistoryChain.Live(marks, "B"))!.Id);
        // A pending entry whose change did go live (only its confirmation failed) counts.
        Assert.Equal("p", HistoryChain.UndoTarget(HistoryChain.Live([Mark("p", "B", "Y", pending: true), .. marks.Skip(1)], "Y"))!.Id);
    }

    [Fact]
    public void The_history_keeps_the_newest_500_and_nothing_older_than_90_days_but_the_newest()
    {
        var marks = Enumerable.Range(0, 600).Select(i => Mark($"m{i}", "a", "b", daysAgo: i / 5)).ToList();
        var expired = HistoryChain.Expired(marks, At, ConfigHistory.MaxEntries - 1, ConfigHistory.MaxAge).Select(m => m.Id).ToHashSet();
        Assert.Equal(marks.Count - 455, expired.Count); // 91 days × 5 a day are within 90 days
        Assert.DoesNotContain("m0", expired);
        Assert.Contains("m599", expired);
        Assert.Empty(HistoryChain.Expired([Mark("old", "a", "b", daysAgo: 400)], At, 499, ConfigHistory.MaxAge));
    }
}
