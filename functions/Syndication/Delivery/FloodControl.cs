using Microsoft.Extensions.Options;

namespace Syndication.Delivery;

/// <summary>
/// Paces sends per chat and overall, on the injected <see cref="TimeProvider"/> so that tests can run hours of sending on a
/// fake clock. System.Threading.RateLimiting's limiters replenish on the real clock, which is why this is not one of them.
/// One instance serves the whole process, so concurrent sweeps share the budget.
/// </summary>
public sealed class FloodControl(IOptions<DeliveryOptions> options, TimeProvider time)
{
    readonly Dictionary<string, Queue<DateTimeOffset>> perChat = [];
    readonly Queue<DateTimeOffset> global = new();
    readonly Lock gate = new();

    /// <summary>Waits until a message to <paramref name="chat"/> is allowed, and books it.</summary>
    public async Task WaitAsync(string chat, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (gate)
            {
                var now = time.GetUtcNow();
                wait = WaitFor(chat, now);
                if (wait <= TimeSpan.Zero)
                {
                    Book(chat, now);
                    return;
                }
            }
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    TimeSpan WaitFor(string chat, DateTimeOffset now)
    {
        var settings = options.Value;
        var wait = TimeSpan.Zero;
        if (perChat.TryGetValue(chat, out var sent) && sent.Count > 0)
        {
            wait = Max(wait, sent.Last() + TimeSpan.FromMilliseconds(settings.PerChatIntervalMilliseconds) - now);
            while (sent.Count > 0 && sent.Peek() <= now - TimeSpan.FromMinutes(1)) sent.Dequeue();
            if (sent.Count >= settings.PerChatPerMinute) wait = Max(wait, sent.Peek() + TimeSpan.FromMinutes(1) - now);
        }
        while (global.Count > 0 && global.Peek() <= now - TimeSpan.FromSeconds(1)) global.Dequeue();
        if (global.Count >= settings.GlobalPerSecond) wait = Max(wait, global.Peek() + TimeSpan.FromSeconds(1) - now);
        return wait;
    }

    void Book(string chat, DateTimeOffset now)
    {
        if (!perChat.TryGetValue(chat, out var sent)) perChat[chat] = sent = new Queue<DateTimeOffset>();
        sent.Enqueue(now);
        global.Enqueue(now);
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
