using Syndication.Feeds;

namespace Syndication.Tests;

/// <summary>Which of a feed's items are new, edited or back, and how many of a first read may alert, as tables. No I/O.</summary>
public sealed class ItemChangesTests
{
    static readonly DateTimeOffset Seen = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    static readonly FeedEntry Entry = new("k", "Kayani balks", "https://news.example/1", Seen, null, [], "Summary", "Text");

    public static TheoryData<string, ItemChange> Cases => new()
    {
        { "never seen", ItemChange.New },
        { "seen the same", ItemChange.Unchanged },
        { "seen with the same markup hash", ItemChange.Unchanged },
        { "seen, left, back the same", ItemChange.Returned },
        { "seen, then its text changed", ItemChange.Edited },
        { "left, back with new text", ItemChange.Edited },
        { "seeded from storage without a hash", ItemChange.Unchanged },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_item_is_new_unchanged_returned_or_edited(string what, ItemChange expected)
    {
        SeenItem? known = what switch
        {
            "never seen" => null,
            "seen the same" => new SeenItem(Entry.ContentHash, Seen),
            "seen with the same markup hash" => new SeenItem("other", Seen) { Raw = Entry.RawHash },
            "seen, left, back the same" => new SeenItem(Entry.ContentHash, Seen) { LeftAt = Seen.AddHours(1) },
            "seen, then its text changed" => new SeenItem("an older text's hash", Seen),
            "left, back with new text" => new SeenItem("an older text's hash", Seen) { LeftAt = Seen.AddHours(1) },
            _ => new SeenItem("", Seen),
        };
        Assert.Equal(expected, ItemChanges.Of(Entry, known));
    }

    [Theory]
    [InlineData(7, false, 3, 0, 7)]  // not a first read: every matching item
    [InlineData(7, true, 3, 0, 3)]   // a first read: its backfill newest
    [InlineData(2, true, 3, 0, 2)]   // fewer than backfill
    [InlineData(7, true, 0, 0, 0)]   // backfill 0: its current items alert no one
    [InlineData(7, true, 3, 2, 1)]   // a first read cut short and done again: what was queued counts
    [InlineData(7, true, 3, 5, 0)]   // never below none
    public void A_first_read_alerts_only_its_backfill_newest_matching_items(int matching, bool firstRead, int backfill, int alreadyAlerted, int mayAlert) =>
        Assert.Equal(mayAlert, ItemChanges.MayAlert(matching, firstRead, backfill, alreadyAlerted));
}
