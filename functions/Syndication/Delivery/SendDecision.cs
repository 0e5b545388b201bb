using Syndication.Primitives;
using Syndication.Telegram;

namespace Syndication.Delivery;

/// <summary>
/// What to do with an alert Telegram did not take: a plain function of the failure, the alert's history and the settings
/// (<see cref="Decide"/>). <see cref="Dispatcher"/> carries it out: sleeping, writing the outbox, dead-lettering.
/// </summary>
public abstract record SendDecision
{
    /// <summary>The token was refused: the whole run stops, and no alert is blamed for it.</summary>
    public sealed record StopRun : SendDecision;

    /// <summary>A short 429: sleep it through and send again in this run.</summary>
    public sealed record WaitAndRetry(TimeSpan Wait) : SendDecision;

    /// <summary>A long 429, or short ones that keep coming: the alert (and the channel behind it) waits until then.</summary>
    public sealed record Defer(DateTimeOffset Until) : SendDecision;

    /// <summary>The group became a supergroup: send there, once.</summary>
    public sealed record FollowMigration(string Chat) : SendDecision;

    /// <summary>Telegram will never take it: dead-letter it; when the chat itself is unusable, the channel's other alerts too.</summary>
    public sealed record Refuse(bool ChatUnusable) : SendDecision;

    /// <summary>A transient failure retried for the whole retry period: dead-letter it with this reason.</summary>
    public sealed record GiveUp(string Reason) : SendDecision;

    /// <summary>A transient failure: keep the alert, with exponential backoff from a minute, capped at an hour.</summary>
    public sealed record RetryLater(DateTimeOffset NotBefore, DateTimeOffset FirstFailure) : SendDecision;

    /// <summary>Short flood waits slept through for one alert in one run; past this, it waits for a later run.</summary>
    public const int MaxShortWaits = 3;

    /// <summary>
    /// What a failure comes to for an alert that can no longer wait it out or follow a migration in this run: a story of a
    /// digest part that failed is kept, deferred or dead-lettered on its own attempts, as a single alert would be.
    /// </summary>
    public static SendDecision Settle(TelegramSendException failure, int attempts, DateTimeOffset? firstFailure, DateTimeOffset now, DeliveryOptions settings) =>
        Decide(failure, MaxShortWaits, migrated: true, attempts, firstFailure, now, settings);

    /// <param name="failure">What Telegram answered, or why it could not be reached.</param>
    /// <param name="shortWaits">Short 429s already slept through for this alert in this run.</param>
    /// <param name="migrated">Whether this alert already followed a migration in this run.</param>
    /// <param name="attempts">Attempts at this alert, this one included.</param>
    /// <param name="firstFailure">When this alert first failed transiently, if it has.</param>
    public static SendDecision Decide(TelegramSendException failure, int shortWaits, bool migrated, int attempts, DateTimeOffset? firstFailure,
        DateTimeOffset now, DeliveryOptions settings)
    {
        switch (failure.Failure)
        {
            case SendFailure.Unauthorized:
                return new StopRun();

            case SendFailure.RateLimited:
                // Telegram always says how long; a 429 without retry_after is retried at once, then given a minute.
                var isShort = (failure.RetryAfter ?? TimeSpan.Zero) <= TimeSpan.FromSeconds(settings.MaxWaitSeconds);
                if (isShort && shortWaits < MaxShortWaits) return new WaitAndRetry(failure.RetryAfter ?? TimeSpan.Zero);
                // A fourth short wait means Telegram keeps pushing back: give it at least a minute.
                var wait = failure.RetryAfter ?? TimeSpan.FromMinutes(1);
                return new Defer(now + (isShort && wait < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait));

            case SendFailure.Migrated when !migrated && failure.MigrateToChatId is long chat:
                return new FollowMigration(chat.ToString(System.Globalization.CultureInfo.InvariantCulture));

            case SendFailure.ChatUnusable or SendFailure.MessageRejected or SendFailure.Migrated:
                return new Refuse(ChatUnusable: failure.Failure != SendFailure.MessageRejected);

            default:
                var first = firstFailure ?? now;
                if (now - first >= TimeSpan.FromHours(settings.RetryForHours))
                    return new GiveUp($"{failure.Message} (retried for {settings.RetryForHours} h)");
                var backoff = Backoff.After(attempts, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
                return new RetryLater(now + backoff, first);
        }
    }
}
