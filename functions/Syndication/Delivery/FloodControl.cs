using Microsoft.Extensions.Options;

namespace Syndication.Delivery;

/// <summary>
/// Paces sends by reservation: each send books the earliest moment that keeps its chat under one message per interval
/// and <see cref="DeliveryOptions.PerChatPerMinute"/> a minute, and keeps every two sends overall at least
/// 1/<see cref="DeliveryOptions.GlobalPerSecond"/> s apart. Booking is pure arithmetic on the injected
/// <see cref="TimeProvider"/>, so hours of sending can be simulated on a fake clock; System.Threading.RateLimiting's
/// limiters replenish on the real clock, which is why this is not one of them. One instance serves the whole process;
/// across instances, the bot-wide limit is shared through <see cref="SendSlots"/>, and a chat's last sends travel with
/// its channel's lease (<see cref="Recent"/>, <see cref="Remember"/>).
/// </summary>
public sealed class FloodControl(IOptions<DeliveryOptions> options, TimeProvider time, SendSlots? shared = null)
{
    readonly Dictionary<string, List<DateTimeOffset>> perChat = [];
    readonly List<DateTimeOffset> global = []; // sorted
    readonly Lock gate = new();
    // When sends really started: a send that woke late must not bring the next one closer than the limits allow.
    readonly Dictionary<string, List<DateTimeOffset>> startedPerChat = [];
    readonly List<DateTimeOffset> started = []; // in order

    /// <summary>
    /// Waits until a message to <paramref name="chat"/> may go out: first until its booked slot, then, if sends that
    /// started late have brought the real rate close to a limit, until the real times allow it too. Telegram counts
    /// the times it receives messages, not the times they were booked for.
    /// </summary>
    public async Task WaitAsync(string chat, CancellationToken cancellationToken)
    {
        if (!options.Value.Pace) return;
        var wait = Reserve(chat);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
        while (true)
        {
            while ((wait = Start(chat, record: false)) > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
            // The shared slot comes last, once this process's own limits allow the send: a send that left after its slot
            // could arrive next to other instances' later slots.
            if (shared is not null) await shared.WaitAsync(cancellationToken);
            if (Start(chat, record: true) == TimeSpan.Zero) return;
            // This process sent meanwhile and its own limits say wait after all: wait, and take a new slot.
        }
    }

    /// <summary>
    /// Records that a send to <paramref name="chat"/> starts now (unless only asked), if the sends that really started in
    /// the last second and minute leave room for it; otherwise records nothing and returns how long to wait.
    /// </summary>
    TimeSpan Start(string chat, bool record)
    {
        var settings = options.Value;
        lock (gate)
        {
            var now = time.GetUtcNow();
            Forget(now);
            var margin = TimeSpan.FromMilliseconds(settings.PacingMarginMilliseconds);
            if (!startedPerChat.TryGetValue(chat, out var mine)) startedPerChat[chat] = mine = [];

            var at = now;
            if (started.Count >= settings.GlobalPerSecond) at = Max(at, started[^settings.GlobalPerSecond] + TimeSpan.FromSeconds(1) + margin);
            if (mine.Count > 0) at = Max(at, mine[^1] + TimeSpan.FromMilliseconds(settings.PerChatIntervalMilliseconds) + margin);
            if (mine.Count >= settings.PerChatPerMinute) at = Max(at, mine[^settings.PerChatPerMinute] + TimeSpan.FromMinutes(1) + margin);
            if (at > now) return at - now;
            if (!record) return TimeSpan.Zero;

            started.Add(now);
            mine.Add(now);
            return TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Records that a send to <paramref name="chat"/> has ended (answered or failed). The next send to the chat is spaced
    /// from here rather than from when this one started: Telegram received this one somewhere in between, so spacing from
    /// the end keeps two arrivals a full interval apart however long the request took on its way.
    /// </summary>
    public void Finished(string chat)
    {
        if (!options.Value.Pace) return;
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (startedPerChat.TryGetValue(chat, out var mine) && mine.Count > 0 && mine[^1] < now) mine[^1] = now;
        }
    }

    /// <summary>When this process's last sends to <paramref name="chat"/> ended, within the last minute (for the next holder of its channel).</summary>
    public IReadOnlyList<DateTimeOffset> Recent(string chat)
    {
        lock (gate)
        {
            Forget(time.GetUtcNow());
            return startedPerChat.TryGetValue(chat, out var mine) ? [.. mine.TakeLast(options.Value.PerChatPerMinute)] : [];
        }
    }

    /// <summary>Takes in sends to <paramref name="chat"/> that another instance made, so this one paces after them.</summary>
    public void Remember(string chat, IEnumerable<DateTimeOffset> sends)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var earlier = sends.Where(t => t <= now).ToList();
            if (earlier.Count == 0) return;
            foreach (var byChat in new[] { perChat, startedPerChat })
            {
                if (!byChat.TryGetValue(chat, out var times)) byChat[chat] = times = [];
                times.AddRange(earlier.Where(t => !times.Contains(t)));
                times.Sort();
            }
            Forget(now);
        }
    }

    /// <summary>Books the next send to <paramref name="chat"/> and returns how long from now it must wait.</summary>
    public TimeSpan Reserve(string chat)
    {
        var settings = options.Value;
        var margin = TimeSpan.FromMilliseconds(settings.PacingMarginMilliseconds);
        var spacing = (TimeSpan.FromSeconds(1) + margin) / settings.GlobalPerSecond;
        lock (gate)
        {
            var now = time.GetUtcNow();
            Forget(now);
            if (!perChat.TryGetValue(chat, out var sent)) perChat[chat] = sent = [];

            var at = now;
            if (sent.Count > 0) at = Max(at, sent[^1] + TimeSpan.FromMilliseconds(settings.PerChatIntervalMilliseconds) + margin);
            if (sent.Count >= settings.PerChatPerMinute) at = Max(at, sent[^settings.PerChatPerMinute] + TimeSpan.FromMinutes(1) + margin);

            // The first gap in the global schedule, at or after `at`, wide enough for one more send.
            var found = global.BinarySearch(at);
            var index = found >= 0 ? found : ~found;
            if (index > 0) at = Max(at, global[index - 1] + spacing);
            while (index < global.Count && global[index] - at < spacing)
            {
                at = Max(at, global[index] + spacing);
                index++;
            }

            global.Insert(index, at);
            sent.Add(at);
            return at - now;
        }
    }

    /// <summary>Bookings and real starts older than a minute (and the margin) no longer constrain anything.</summary>
    void Forget(DateTimeOffset now)
    {
        var horizon = now - TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(options.Value.PacingMarginMilliseconds);
        Forget(global, perChat, horizon);
        Forget(started, startedPerChat, horizon);
    }

    static void Forget(List<DateTimeOffset> overall, Dictionary<string, List<DateTimeOffset>> byChat, DateTimeOffset horizon)
    {
        var old = overall.FindIndex(t => t > horizon);
        overall.RemoveRange(0, old < 0 ? overall.Count : old);
        foreach (var (chat, times) in byChat.ToList())
        {
            times.RemoveAll(t => t <= horizon);
            if (times.Count == 0) byChat.Remove(chat);
        }
    }

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
