namespace Syndication.Delivery;

/// <summary>
/// Who sends next, as pure arithmetic on the times it is given (no clock, no waiting, no lock: <see cref="FloodControl"/>
/// supplies those). A chat may send one message per <see cref="DeliveryOptions.PerChatIntervalMilliseconds"/> (spaced
/// from the end of its last send) and <see cref="DeliveryOptions.PerChatPerMinute"/> a minute; a chat that may send
/// joins the line for the bot-wide turn, and each turn goes to the send in line with the most alerts left behind it,
/// each alert counting as <see cref="CreditPerAlert"/> of waiting. A channel whose alerts arrived late in a burst so
/// catches up while others still have many to go, instead of sending its last ones alone at one a second after every
/// other channel has finished; a lone alert is delayed by at most the credit of the alerts it competes with.
/// </summary>
public sealed class SendLine(DeliveryOptions settings)
{
    /// <summary>How much waiting one alert left in a drain is worth when the line picks the next send.</summary>
    public static readonly TimeSpan CreditPerAlert = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How much sooner a channel's send goes than a person's private alert that joined at the same moment: a story for
    /// thousands of people reaches the editors' channels first, and a person waits no longer than this behind sends
    /// that joined after theirs, so people are served at the same overall rate once the channels are through.
    /// </summary>
    public static readonly TimeSpan PersonalHandicap = TimeSpan.FromSeconds(10);

    readonly Dictionary<string, List<DateTimeOffset>> perChat = []; // when each chat's recent sends started; the last one moved to its end
    readonly List<DateTimeOffset> started = []; // every recent start, in order
    readonly List<Turn> line = [];
    long joined;

    TimeSpan Margin => TimeSpan.FromMilliseconds(settings.PacingMarginMilliseconds);

    /// <summary>The bot-wide spacing: a second and the margin, shared by the limit.</summary>
    public TimeSpan Spacing => (TimeSpan.FromSeconds(1) + Margin) / settings.GlobalPerSecond;

    /// <summary>One send waiting for its bot-wide turn.</summary>
    public sealed class Turn(string chat, int remaining, DateTimeOffset since, long order, bool personal = false)
    {
        public string Chat { get; } = chat;
        public bool Personal { get; } = personal;
        public int Remaining { get; } = remaining;
        internal DateTimeOffset Since { get; } = since;
        internal long Order { get; } = order;
        /// <summary>Completed when the turn comes; cancelled when its sender stops waiting.</summary>
        public TaskCompletionSource Go { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Sends in line that still wait (those whose sender stopped waiting are dropped).</summary>
    public int Waiting
    {
        get
        {
            line.RemoveAll(t => t.Go.Task.IsCompleted);
            return line.Count;
        }
    }

    /// <summary>How long <paramref name="chat"/> must wait before it may join the line: its own interval and per-minute limit.</summary>
    public TimeSpan ChatWait(string chat, DateTimeOffset now)
    {
        Forget(now);
        return Wait(chat, now);
    }

    TimeSpan Wait(string chat, DateTimeOffset now)
    {
        if (!perChat.TryGetValue(chat, out var mine) || mine.Count == 0) return TimeSpan.Zero;
        var at = mine[^1] + TimeSpan.FromMilliseconds(settings.PerChatIntervalMilliseconds) + Margin;
        if (mine.Count >= settings.PerChatPerMinute) at = Max(at, mine[^settings.PerChatPerMinute] + TimeSpan.FromMinutes(1) + Margin);
        return at > now ? at - now : TimeSpan.Zero;
    }

    /// <summary>
    /// Puts a send to <paramref name="chat"/>, with <paramref name="remaining"/> alerts to go in its drain (this one
    /// included), in line. Of two sends that rank alike, the one with the lower <paramref name="order"/> goes first
    /// (by default, the one that joined first). A <paramref name="personal"/> send, to a subscriber's private chat, ranks
    /// <see cref="PersonalHandicap"/> behind a channel's.
    /// </summary>
    public Turn Join(string chat, int remaining, DateTimeOffset now, long? order = null, bool personal = false)
    {
        var turn = new Turn(chat, Math.Max(1, remaining), now, order ?? joined++, personal);
        line.Add(turn);
        return turn;
    }

    /// <summary>
    /// How long until this process alone may start another send: the bot-wide spacing after the last start, and no more
    /// than <see cref="DeliveryOptions.GlobalPerSecond"/> starts within a second and the margin. Used when the limit is not
    /// shared through storage, whose slots are spaced the same way.
    /// </summary>
    public TimeSpan GlobalWait(DateTimeOffset now)
    {
        Forget(now);
        if (started.Count == 0) return TimeSpan.Zero;
        var at = started[^1] + Spacing;
        if (started.Count >= settings.GlobalPerSecond) at = Max(at, started[^settings.GlobalPerSecond] + TimeSpan.FromSeconds(1) + Margin);
        return at > now ? at - now : TimeSpan.Zero;
    }

    /// <summary>
    /// Gives the turn at <paramref name="now"/> to the best send in line whose chat may send now, records its start and
    /// returns it; null when none may (turns whose sender stopped waiting are dropped).
    /// </summary>
    public Turn? Release(DateTimeOffset now)
    {
        line.RemoveAll(t => t.Go.Task.IsCompleted);
        Forget(now);
        Turn? best = null;
        foreach (var turn in line)
        {
            if (Wait(turn.Chat, now) > TimeSpan.Zero) continue; // two channels to one chat: the other one sent meanwhile
            if (best is null || Rank(turn) < Rank(best) || Rank(turn) == Rank(best) && turn.Order < best.Order) best = turn;
        }
        if (best is null) return null;
        line.Remove(best);
        Started(best.Chat, now);
        return best;
    }

    /// <summary>When the chat soonest free to send in line may send; zero when the line is empty.</summary>
    public TimeSpan SoonestChatWait(DateTimeOffset now)
    {
        Forget(now);
        return line.Count == 0 ? TimeSpan.Zero : line.Min(t => Wait(t.Chat, now));
    }

    static DateTimeOffset Rank(Turn turn) => turn.Since - CreditPerAlert * turn.Remaining + (turn.Personal ? PersonalHandicap : TimeSpan.Zero);

    void Started(string chat, DateTimeOffset now)
    {
        started.Add(now);
        if (!perChat.TryGetValue(chat, out var mine)) perChat[chat] = mine = [];
        mine.Add(now);
    }

    /// <summary>
    /// Records that a send to <paramref name="chat"/> has ended (answered or failed): the next one is spaced from here,
    /// since Telegram received this one somewhere between its start and now.
    /// </summary>
    public void Finished(string chat, DateTimeOffset now)
    {
        if (perChat.TryGetValue(chat, out var mine) && mine.Count > 0 && mine[^1] < now) mine[^1] = now;
    }

    /// <summary>When the last sends to <paramref name="chat"/> ended, within the last minute (for the next holder of its channel).</summary>
    public IReadOnlyList<DateTimeOffset> Recent(string chat, DateTimeOffset now)
    {
        Forget(now);
        return perChat.TryGetValue(chat, out var mine) ? [.. mine.TakeLast(settings.PerChatPerMinute)] : [];
    }

    /// <summary>Takes in sends to <paramref name="chat"/> that another instance made, so this one paces after them.</summary>
    public void Remember(string chat, IEnumerable<DateTimeOffset> sends, DateTimeOffset now)
    {
        var earlier = sends.Where(t => t <= now).ToList();
        if (earlier.Count == 0) return;
        if (!perChat.TryGetValue(chat, out var times)) perChat[chat] = times = [];
        times.AddRange(earlier.Where(t => !times.Contains(t)));
        times.Sort();
        Forget(now);
    }

    /// <summary>Starts older than a minute (and the margin) no longer constrain anything.</summary>
    void Forget(DateTimeOffset now)
    {
        var horizon = now - TimeSpan.FromMinutes(1) - Margin;
        var old = started.FindIndex(t => t > horizon);
        started.RemoveRange(0, old < 0 ? started.Count : old);
        foreach (var (chat, times) in perChat)
        {
            if (times.Count > 0 && times[0] > horizon) continue;
            times.RemoveAll(t => t <= horizon);
            if (times.Count == 0) perChat.Remove(chat);
        }
    }

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
