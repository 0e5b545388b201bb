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

    /// <summary>Waits until a message to <paramref name="chat"/> may go out.</summary>
    public async Task WaitAsync(string chat, CancellationToken cancellationToken)
    {
        if (!options.Value.Pace) return;
        var wait = Reserve(chat);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
    }

    /// <summary>Books the next send to <paramref name="chat"/> and returns how long from now it must wait.</summary>
    public TimeSpan Reserve(string chat)
    {
        var settings = options.Value;
        var spacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / settings.GlobalPerSecond);
        lock (gate)
        {
            var now = time.GetUtcNow();
            Forget(now);
            if (!perChat.TryGetValue(chat, out var sent)) perChat[chat] = sent = [];

            var at = now;
            if (sent.Count > 0) at = Max(at, sent[^1] + TimeSpan.FromMilliseconds(settings.PerChatIntervalMilliseconds));
            if (sent.Count >= settings.PerChatPerMinute) at = Max(at, sent[^settings.PerChatPerMinute] + TimeSpan.FromMinutes(1));

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

    /// <summary>Bookings older than a minute no longer constrain anything.</summary>
    void Forget(DateTimeOffset now)
    {
        var horizon = now - TimeSpan.FromMinutes(1);
        var old = global.FindIndex(t => t > horizon);
        global.RemoveRange(0, old < 0 ? global.Count : old);
        foreach (var (chat, sent) in perChat.ToList())
        {
            sent.RemoveAll(t => t <= horizon);
            if (sent.Count == 0) perChat.Remove(chat);
        }
    }

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
