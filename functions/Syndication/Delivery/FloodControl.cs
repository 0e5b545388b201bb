using Microsoft.Extensions.Options;

namespace Syndication.Delivery;

/// <summary>
/// Paces sends by reservation: each send books the earliest moment that keeps its chat under one message per interval
/// and <see cref="DeliveryOptions.PerChatPerMinute"/> a minute, and keeps every two sends overall at least
/// 1/<see cref="DeliveryOptions.GlobalPerSecond"/> s apart. Booking is pure arithmetic on the injected
/// <see cref="TimeProvider"/>, so hours of sending can be simulated on a fake clock; System.Threading.RateLimiting's
/// limiters replenish on the real clock, which is why this is not one of them. One instance serves the whole process.
/// </summary>
public sealed class FloodControl(IOptions<DeliveryOptions> options, TimeProvider time)
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
        while ((wait = Start(chat)) > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
    }

    /// <summary>
    /// Records that a send to <paramref name="chat"/> starts now, if the sends that really started in the last second
    /// and minute leave room for it; otherwise records nothing and returns how long to wait.
    /// </summary>
    TimeSpan Start(string chat)
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

            started.Add(now);
            mine.Add(now);
            return TimeSpan.Zero;
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
