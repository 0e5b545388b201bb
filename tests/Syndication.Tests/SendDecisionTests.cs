using Syndication.Delivery;
using Syndication.Telegram;

namespace Syndication.Tests;

/// <summary>What happens to an alert after each answer the Bot API documents, decided without storage or a network.</summary>
public sealed class SendDecisionTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);
    static readonly DeliveryOptions Settings = new();

    static TelegramSendException Answer(int? code, string description, TimeSpan? retryAfter = null, long? migrateTo = null) =>
        new(description, code, code is { } c ? TelegramSendException.Classify(c, description, migrateTo is not null) : SendFailure.Transient)
        {
            RetryAfter = retryAfter,
            MigrateToChatId = migrateTo,
        };

    static SendDecision Decide(TelegramSendException answer, int shortWaits = 0, bool migrated = false, int attempts = 1, DateTimeOffset? firstFailure = null) =>
        SendDecision.Decide(answer, shortWaits, migrated, attempts, firstFailure, Now, Settings);

    [Fact]
    public void A_refused_token_stops_the_run_instead_of_blaming_the_alert() =>
        Assert.IsType<SendDecision.StopRun>(Decide(Answer(401, "Unauthorized")));

    [Fact]
    public void Short_flood_waits_are_slept_through_three_times_then_the_alert_waits_a_minute()
    {
        var tooMany = Answer(429, "Too Many Requests: retry after 5", TimeSpan.FromSeconds(5));

        Assert.Equal(new SendDecision.WaitAndRetry(TimeSpan.FromSeconds(5)), Decide(tooMany, shortWaits: 0));
        Assert.Equal(new SendDecision.WaitAndRetry(TimeSpan.FromSeconds(5)), Decide(tooMany, shortWaits: 2));
        Assert.Equal(new SendDecision.Defer(Now.AddMinutes(1)), Decide(tooMany, shortWaits: 3));
    }

    [Fact]
    public void A_long_flood_wait_defers_the_alert_for_as_long_as_telegram_asked() =>
        Assert.Equal(new SendDecision.Defer(Now.AddSeconds(300)), Decide(Answer(429, "Too Many Requests: retry after 300", TimeSpan.FromSeconds(300))));

    [Fact]
    public void A_migrated_group_is_followed_once_and_a_second_migration_is_refused()
    {
        var migrated = Answer(400, "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: -1001234567890);

        Assert.Equal(new SendDecision.FollowMigration("-1001234567890"), Decide(migrated));
        Assert.Equal(new SendDecision.Refuse(ChatUnusable: true), Decide(migrated, migrated: true));
    }

    [Theory]
    [InlineData(400, "Bad Request: chat not found", true)]
    [InlineData(403, "Forbidden: bot was kicked from the channel chat", true)]
    [InlineData(400, "Bad Request: not enough rights to send text messages to the chat", true)]
    [InlineData(400, "Bad Request: can't parse entities: Unsupported start tag \"span\" at byte offset 12", false)]
    [InlineData(400, "Bad Request: message is too long", false)]
    public void Permanent_refusals_are_dead_lettered_and_an_unusable_chat_takes_its_channel_with_it(int code, string description, bool chatUnusable) =>
        Assert.Equal(new SendDecision.Refuse(chatUnusable), Decide(Answer(code, description)));

    [Fact]
    public void Transient_failures_back_off_from_a_minute_to_an_hour()
    {
        var down = Answer(502, "Bad Gateway");
        var backoff = Enumerable.Range(1, 9).Select(attempt => Decide(down, attempts: attempt, firstFailure: Now.AddMinutes(-5)))
            .Cast<SendDecision.RetryLater>().Select(r => (r.NotBefore - Now).TotalMinutes).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], backoff);
        Assert.Equal(new SendDecision.RetryLater(Now.AddMinutes(1), Now), Decide(Answer(null, "connection refused")));
    }

    [Fact]
    public void A_transient_failure_retried_for_a_day_is_given_up_with_its_reason()
    {
        var decision = Decide(Answer(500, "Internal Server Error"), attempts: 30, firstFailure: Now.AddHours(-24));

        Assert.Equal(new SendDecision.GiveUp("Internal Server Error (retried for 24 h)"), decision);
        Assert.IsType<SendDecision.RetryLater>(Decide(Answer(500, "Internal Server Error"), attempts: 30, firstFailure: Now.AddHours(-23)));
    }

    [Fact]
    public void A_story_of_a_failed_digest_part_settles_without_waiting_or_following_again()
    {
        Assert.Equal(new SendDecision.Defer(Now.AddMinutes(1)), SendDecision.Settle(Answer(429, "Too Many Requests: retry after 5", TimeSpan.FromSeconds(5)), 1, null, Now, Settings));
        Assert.Equal(new SendDecision.Refuse(ChatUnusable: true), SendDecision.Settle(Answer(400, "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: -1001), 1, null, Now, Settings));
        Assert.IsType<SendDecision.GiveUp>(SendDecision.Settle(Answer(502, "Bad Gateway"), 9, Now.AddHours(-Settings.RetryForHours), Now, Settings));
        Assert.IsType<SendDecision.RetryLater>(SendDecision.Settle(Answer(502, "Bad Gateway"), 2, Now.AddMinutes(-5), Now, Settings));
    }
}
