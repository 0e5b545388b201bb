namespace Syndication.Feeds;

/// <summary>What a feed's item is against what was seen of it before.</summary>
public enum ItemChange
{
    /// <summary>Never seen: stored, matched, and perhaps alerted.</summary>
    New,
    /// <summary>Seen, and the same: nothing to do.</summary>
    Unchanged,
    /// <summary>Seen, left the feed, and is back the same: known, never alerted again.</summary>
    Returned,
    /// <summary>Seen, and its text changed: the stored article is updated, and a sent message edited where channels ask.</summary>
    Edited,
}

/// <summary>
/// The decisions about a feed's items, as pure functions over what was read: which are new, edited or back, and which of a
/// first read's matching items may alert. The executor (<c>FeedProcessor</c>) reads, asks these, and writes.
/// </summary>
public static class ItemChanges
{
    public static ItemChange Of(FeedEntry entry, SeenItem? known) => known switch
    {
        null => ItemChange.New,
        { } seen when !seen.Matches(entry) => ItemChange.Edited,
        { LeftAt: not null } => ItemChange.Returned,
        _ => ItemChange.Unchanged,
    };

    /// <summary>
    /// How many of the matching new items may alert, newest first: all of them, except on a feed's first read, which alerts
    /// only its <paramref name="backfill"/> newest, less those already queued or sent for it (<paramref name="alreadyAlerted"/>),
    /// so adding a feed never floods a channel, even when its first read is cut short and done again.
    /// </summary>
    public static int MayAlert(int matching, bool firstRead, int backfill, int alreadyAlerted) =>
        firstRead ? Math.Clamp(backfill - alreadyAlerted, 0, matching) : matching;
}
