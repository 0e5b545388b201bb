namespace Syndication.Delivery;

public enum DeliveryStatus
{
    /// <summary>Telegram accepted it.</summary>
    Sent,
    /// <summary>A transient failure; it stays in the outbox and is retried with backoff.</summary>
    Retrying,
    /// <summary>Held back by flood control (429), or waiting behind an alert of its channel that was; sent by a later run.</summary>
    Deferred,
    /// <summary>Waiting for its retry time after a transient failure, or behind an alert of its channel that is; sent by a later run.</summary>
    Waiting,
    /// <summary>Held for its channel's quiet hours (<c>hold</c>); sent by the first run after they end.</summary>
    Held,
    /// <summary>Collected for its channel's next digest; sent in it by the first run after the digest's time.</summary>
    Collected,
    /// <summary>Refused for good (chat gone, message rejected); moved to the dead-letter container with Telegram's reason.</summary>
    Rejected,
    /// <summary>Retried for the whole retry period without success; moved to the dead-letter container.</summary>
    DeadLettered,
    /// <summary>A dry run: it would have been sent.</summary>
    DryRun,
    /// <summary>An earlier run sent it and stopped before clearing the outbox.</summary>
    AlreadySent,
}

public sealed record DeliveryOutcome(string ChannelId, string Chat, string ArticleBlob, DeliveryStatus Status, string Html, string? Error)
{
    public bool NetworkFailure { get; init; }

    /// <summary>The chat itself cannot receive alerts (not found, bot removed or without rights), not just this message.</summary>
    public bool ChatUnusable { get; init; }

    /// <summary>The outbox entry's name: an article's alert and its edits are different entries.</summary>
    public string EntryName { get; init; } = "";

    /// <summary>The request left, but no answer came back: Telegram may have delivered it, and the retry may show it twice.</summary>
    public bool Uncertain { get; init; }
}
