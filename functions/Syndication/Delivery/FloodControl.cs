using Microsoft.Extensions.Options;

namespace Syndication.Delivery;

/// <summary>
/// Paces sends to Telegram's limits: a send first waits out its own chat's limits, then joins the line for the bot-wide
/// turn (<see cref="SendLine"/>, which decides who goes next), and one pump hands out the turns, each at a send slot
/// shared with every other instance through storage (<see cref="SendSlots"/>), or at this process's own spacing when
/// there is no storage to share it through. Waiting is on the injected <see cref="TimeProvider"/>, so hours of sending
/// can be simulated on a fake clock; System.Threading.RateLimiting's limiters replenish on the real clock and cannot
/// pick the next send by what it has left to do, which is why this is not one of them. One instance serves the whole
/// process; a chat's last sends travel with its channel's lease (<see cref="Recent"/>, <see cref="Remember"/>).
/// </summary>
public sealed class FloodControl(IOptions<DeliveryOptions> options, TimeProvider time, SendSlots? shared = null)
{
    readonly Lock gate = new();
    SendLine? line;
    bool pumping;
    long tickets;

    SendLine Line => line ??= new SendLine(options.Value); // under the gate

    /// <summary>Waits until a message to <paramref name="chat"/> may go out, the only one left in its drain.</summary>
    public Task WaitAsync(string chat, CancellationToken cancellationToken) => WaitAsync(chat, 1, cancellationToken);

    /// <summary>Waits until a message to <paramref name="chat"/> may go out; see <see cref="SendLine.Join"/> for <paramref name="personal"/>.</summary>
    public Task WaitAsync(string chat, int remaining, CancellationToken cancellationToken, bool personal) => WaitAsync(chat, remaining, personal, cancellationToken);

    /// <summary>
    /// Waits until a message to <paramref name="chat"/> may go out, with <paramref name="remaining"/> alerts (this one
    /// included) still to go in its drain: the more it has left, the sooner it gets the bot-wide turn.
    /// </summary>
    public Task WaitAsync(string chat, int remaining, CancellationToken cancellationToken) => WaitAsync(chat, remaining, false, cancellationToken);

    async Task WaitAsync(string chat, int remaining, bool personal, CancellationToken cancellationToken)
    {
        if (!options.Value.Pace) return;
        // Sends to one chat that become free at the same moment go in the order they asked.
        var ticket = Interlocked.Increment(ref tickets);
        while (true)
        {
            TimeSpan wait;
            lock (gate) wait = Line.ChatWait(chat, time.GetUtcNow());
            if (wait <= TimeSpan.Zero) break;
            await Task.Delay(wait, time, cancellationToken);
        }
        SendLine.Turn turn;
        lock (gate)
        {
            turn = Line.Join(chat, remaining, time.GetUtcNow(), ticket, personal);
            if (!pumping)
            {
                pumping = true;
                _ = Task.Run(PumpAsync, CancellationToken.None);
            }
        }
        using (cancellationToken.Register(() => turn.Go.TrySetCanceled(cancellationToken)))
            await turn.Go.Task;
    }

    /// <summary>Hands out bot-wide turns while anyone is in line, one per send slot.</summary>
    async Task PumpAsync()
    {
        while (true)
        {
            lock (gate)
            {
                if (Line.Waiting == 0)
                {
                    pumping = false;
                    return;
                }
            }
            // A slot no other instance holds; without one (no shared limit, or storage not answering), this process's spacing.
            var sharedSlot = false;
            if (shared is not null)
            {
                try
                {
                    int expected;
                    lock (gate) expected = Line.Waiting;
                    sharedSlot = await shared.WaitAsync(expected, CancellationToken.None);
                }
                catch (Exception)
                {
                    // Pacing never stops delivery: SendSlots reports its own storage failures; anything else falls back the same way.
                }
            }
            if (!sharedSlot)
            {
                while (true)
                {
                    TimeSpan wait;
                    lock (gate) wait = Line.GlobalWait(time.GetUtcNow());
                    if (wait <= TimeSpan.Zero) break;
                    await Task.Delay(wait, time);
                }
            }

            TimeSpan idle;
            lock (gate)
            {
                var now = time.GetUtcNow();
                if (Line.Release(now) is { } turn)
                {
                    turn.Go.TrySetResult();
                    continue;
                }
                // Everyone in line waits on a chat that sent meanwhile (two channels to one chat): the slot goes unused.
                idle = Line.SoonestChatWait(now);
            }
            if (idle > TimeSpan.Zero) await Task.Delay(idle, time);
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
        lock (gate) Line.Finished(chat, time.GetUtcNow());
    }

    /// <summary>When this process's last sends to <paramref name="chat"/> ended, within the last minute (for the next holder of its channel).</summary>
    public IReadOnlyList<DateTimeOffset> Recent(string chat)
    {
        lock (gate) return Line.Recent(chat, time.GetUtcNow());
    }

    /// <summary>Takes in sends to <paramref name="chat"/> that another instance made, so this one paces after them.</summary>
    public void Remember(string chat, IEnumerable<DateTimeOffset> sends)
    {
        lock (gate) Line.Remember(chat, sends, time.GetUtcNow());
    }
}
