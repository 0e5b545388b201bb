namespace Syndication.Storage;

/// <summary>The step boundaries where a crash could leave a sweep half done.</summary>
public enum Failpoint
{
    /// <summary>An alert was queued in the outbox; its article is not stored yet.</summary>
    AlertQueued,
    /// <summary>An article was stored.</summary>
    ArticleStored,
    /// <summary>Telegram accepted a message; the delivery record is not written yet.</summary>
    MessageSent,
    /// <summary>A delivery record was written.</summary>
    DeliveryRecorded,
}

/// <summary>Thrown by an armed failpoint: the process "dies" there, with nothing cleaned up.</summary>
public sealed class SimulatedCrashException(Failpoint point) : Exception($"simulated crash at {point}");

/// <summary>
/// Named failpoints, as in etcd's gofail or FreeBSD's fail(9): inert in production, armed by fault-injection tests to
/// crash the pipeline at a step boundary and prove that the next run loses nothing and sends nothing twice.
/// </summary>
public sealed class Failpoints
{
    readonly Dictionary<Failpoint, int> armed = [];
    readonly Lock gate = new();

    /// <summary>Crash at <paramref name="point"/> after it has been passed <paramref name="after"/> times.</summary>
    public void Arm(Failpoint point, int after = 0)
    {
        lock (gate) armed[point] = after;
    }

    public void Disarm()
    {
        lock (gate) armed.Clear();
    }

    public void Pass(Failpoint point)
    {
        lock (gate)
        {
            if (!armed.TryGetValue(point, out var remaining)) return;
            if (remaining > 0) { armed[point] = remaining - 1; return; }
            armed.Remove(point);
        }
        throw new SimulatedCrashException(point);
    }
}
