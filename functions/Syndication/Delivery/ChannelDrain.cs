using Syndication.Config;
using Syndication.Telegram;

namespace Syndication.Delivery;

/// <summary>Where a channel's drain stands: why the rest of its alerts wait, once one had to, and whether its chat is gone.</summary>
public sealed record DrainState(string? Stop = null, DeliveryStatus StopStatus = DeliveryStatus.Waiting, bool ChatUnusable = false)
{
    public static readonly DrainState Start = new();
}

/// <summary>What a channel's drain does with its next alert, decided by <see cref="ChannelDrain"/>.</summary>
public abstract record DrainStep
{
    /// <summary>An alert ahead of it had to wait, so it waits too, unread: a channel's alerts go out in order.</summary>
    public sealed record WaitBehind(DeliveryStatus Status, string Reason) : DrainStep;

    /// <summary>A line for a digest whose time has not come: not even read.</summary>
    public sealed record NotYet(string Reason) : DrainStep;

    /// <summary>Read it: what happens next depends on the entry.</summary>
    public sealed record Read : DrainStep;

    /// <summary>Another run sent it and recorded it; only the outbox entry is left to clear.</summary>
    public sealed record Clear : DrainStep;

    /// <summary>An earlier run sent it, but its delivery record failed: record it now, never send it again.</summary>
    public sealed record RecordEarlierSend : DrainStep;

    /// <summary>The chat refused the channel for good: dead-letter it with that reason.</summary>
    public sealed record DeadLetter(string Reason) : DrainStep;

    /// <summary>Not before a time (a retry's backoff or flood control): it and the rest of the channel wait.</summary>
    public sealed record Wait(DeliveryStatus Status, string Reason) : DrainStep;

    /// <summary>Quiet hours hold new messages: it and the rest of the channel wait for their end.</summary>
    public sealed record Hold(string Reason) : DrainStep;

    /// <summary>A line of the channel's digest, which is due: sent with the other lines after the single alerts.</summary>
    public sealed record Collect : DrainStep;

    /// <summary>Send it as <paramref name="SendAs"/> says (silent inside quiet hours that do not hold).</summary>
    public sealed record Send(ChannelDefinition? SendAs) : DrainStep;
}

/// <summary>
/// The decisions of a channel's drain, as pure functions over what was read: for each waiting alert in the channel's order,
/// whether to read it, wait, hold, collect it for the digest, dead-letter or send it; and how Telegram's answer changes
/// what the rest of the channel does. <see cref="Dispatcher"/> reads, asks these, and writes.
/// </summary>
public static class ChannelDrain
{
    /// <summary>The order a channel's alerts go in: oldest story first, then oldest queued.</summary>
    public static IEnumerable<WaitingAlert> Order(IEnumerable<WaitingAlert> pending) => pending.OrderBy(p => p.Order).ThenBy(p => p.Queued);

    /// <summary>Before the alert is read: waiting behind another, a digest line not yet due, or read it.</summary>
    public static DrainStep BeforeRead(DrainState state, ChannelDefinition? channel, WaitingAlert waiting, DateTimeOffset now)
    {
        if (state.Stop is { } stop && !state.ChatUnusable) return new DrainStep.WaitBehind(state.StopStatus, stop);
        if (channel?.Digest is { } digest && waiting.ForDigest && digest.NextAfter(waiting.Queued, channel.TimeZone) is var at && at > now)
            return new DrainStep.NotYet($"for the digest at {MessageFormatter.FormatDate(at, channel.TimeZone)}");
        if (waiting.After is { } after && after > now)
            return new DrainStep.NotYet($"an \"also reported by\" edit, spaced from the story's last one, until {MessageFormatter.FormatDate(after, channel?.TimeZone)}");
        return new DrainStep.Read();
    }

    /// <param name="delivered">A delivery record exists for the entry: another run sent it.</param>
    public static DrainStep AfterRead(DrainState state, ChannelDefinition? channel, OutboxEntry entry, bool delivered, DateTimeOffset now)
    {
        if (delivered) return new DrainStep.Clear();
        if (entry.SentAs is not null) return new DrainStep.RecordEarlierSend();
        if (state.ChatUnusable) return new DrainStep.DeadLetter(state.Stop!);
        if (entry.NotBefore > now)
            return new DrainStep.Wait(
                entry.LastError?.StartsWith(TelegramNotifier.FloodControlPrefix, StringComparison.Ordinal) == true ? DeliveryStatus.Deferred : DeliveryStatus.Waiting,
                $"waiting until {entry.NotBefore:u} ({entry.LastError})");
        if (channel?.Digest is not null && entry.DigestLine is not null && entry.EditMessageId is null) return new DrainStep.Collect();
        // An edit never makes a sound, so quiet hours leave edits alone.
        if (entry.EditMessageId is not null) return new DrainStep.Send(channel);
        var (heldUntil, sendAs) = Quiet(channel, now);
        return heldUntil is not null ? new DrainStep.Hold(heldUntil) : new DrainStep.Send(sendAs);
    }

    /// <summary>The channel's digest, once its single alerts are done: it waits behind them, is held for quiet hours, or goes.</summary>
    /// <returns><see cref="DrainStep.WaitBehind"/>, <see cref="DrainStep.Hold"/>, or <see cref="DrainStep.Send"/> with links not previewed.</returns>
    public static DrainStep Digest(DrainState state, ChannelDefinition channel, DateTimeOffset now)
    {
        if (state.Stop is { } stop) return new DrainStep.WaitBehind(state.StopStatus, stop);
        var (heldUntil, sendAs) = Quiet(channel, now);
        return heldUntil is not null ? new DrainStep.Hold(heldUntil) : new DrainStep.Send(sendAs! with { LinkPreview = LinkPreview.Off }); // a list of links previews none of them
    }

    /// <summary>How a step taken changes the rest of the drain: a wait or a hold stops the channel for this run.</summary>
    public static DrainState After(DrainState state, DrainStep step) => step switch
    {
        DrainStep.Wait wait => state with { Stop = wait.Reason, StopStatus = wait.Status },
        DrainStep.Hold hold => state with { Stop = hold.Reason, StopStatus = DeliveryStatus.Held },
        _ => state,
    };

    /// <summary>
    /// How Telegram's answer to a send changes the rest of the drain: a retry, a deferral or a dead letter keeps the channel's
    /// order (the alerts behind it wait); a chat that is gone dead-letters the rest with the same reason.
    /// </summary>
    public static DrainState After(DrainState state, DeliveryOutcome sent) => sent.Status switch
    {
        DeliveryStatus.Retrying or DeliveryStatus.DeadLettered => state with { Stop = sent.Error, StopStatus = DeliveryStatus.Waiting },
        DeliveryStatus.Deferred => state with { Stop = sent.Error, StopStatus = DeliveryStatus.Deferred },
        DeliveryStatus.Rejected when sent.ChatUnusable => state with { Stop = sent.Error, ChatUnusable = true },
        _ => state,
    };

    /// <summary>
    /// How the channel's quiet hours treat a new message now: held (and until when), or sent as the channel says, without a
    /// sound inside the window.
    /// </summary>
    public static (string? HeldUntil, ChannelDefinition? SendAs) Quiet(ChannelDefinition? channel, DateTimeOffset now)
    {
        if (channel?.QuietHours is not { } quiet || !quiet.Contains(now, channel.TimeZone)) return (null, channel);
        return quiet.Hold
            ? ($"held for quiet hours until {MessageFormatter.FormatDate(quiet.EndAfter(now, channel.TimeZone), channel.TimeZone)}", channel)
            : (null, channel with { Silent = true });
    }
}
