using Syndication.Config;
using Syndication.Delivery;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// What a channel's drain does with each waiting alert, decided without storage or a network: order, waiting behind an
/// alert that had to wait, digests, not-before times, quiet hours (their window on the channel's clocks, and what check
/// says of a bad one), gone chats, and alerts another run already sent.
/// </summary>
[Trait(SecondPass.Name, SecondPass.TimeZone)]
public sealed class ChannelDrainTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero); // 12:00 in Karachi
    static readonly TimeZoneInfo Karachi = TimeZoneInfo.FindSystemTimeZoneById("Asia/Karachi");
    static readonly ChannelDefinition Plain = new("news", "@news");
    static readonly ChannelDefinition Hourly = Plain with { Digest = DigestSchedule.EveryPeriod(TimeSpan.FromHours(1)) };

    static OutboxEntry Entry(string article = "a1") => new("news", "@news", article, Now.AddHours(-1), Now.AddMinutes(-5), ["r"], "<b>Story</b>");

    static WaitingAlert Waiting(string article, DateTimeOffset order, DateTimeOffset queued, bool forDigest = false) =>
        new($"news/{article}", "news", order, queued) { ForDigest = forDigest };

    static DrainStep After(DrainState state, OutboxEntry entry, ChannelDefinition? channel = null, bool delivered = false) =>
        ChannelDrain.AfterRead(state, channel ?? Plain, entry, delivered, Now);

    [Fact]
    public void A_channels_alerts_go_oldest_story_first_then_oldest_queued()
    {
        var alerts = new[]
        {
            Waiting("late-story", Now, Now.AddMinutes(-30)),
            Waiting("early-story-queued-second", Now.AddHours(-2), Now.AddMinutes(-1)),
            Waiting("early-story-queued-first", Now.AddHours(-2), Now.AddMinutes(-20)),
        };
        Assert.Equal(["early-story-queued-first", "early-story-queued-second", "late-story"], ChannelDrain.Order(alerts).Select(a => a.Name[5..]));
    }

    [Fact]
    public void Behind_an_alert_that_had_to_wait_the_rest_wait_unread_with_its_reason()
    {
        var stopped = ChannelDrain.After(DrainState.Start, new DrainStep.Wait(DeliveryStatus.Deferred, "flood control"));

        Assert.IsType<DrainStep.Read>(ChannelDrain.BeforeRead(DrainState.Start, Plain, Waiting("a2", Now, Now), Now));
        Assert.Equal(new DrainStep.WaitBehind(DeliveryStatus.Deferred, "flood control"), ChannelDrain.BeforeRead(stopped, Plain, Waiting("a2", Now, Now), Now));
    }

    [Fact]
    public void A_digest_line_is_not_even_read_before_the_digest_and_is_collected_once_it_is_due()
    {
        // Queued 06:55 UTC: the hourly digest is at 07:00 UTC (12:00 on the channel's clock).
        var line = Waiting("a1", Now, Now.AddMinutes(-5), forDigest: true);
        var before = ChannelDrain.BeforeRead(DrainState.Start, Hourly, line, Now.AddMinutes(-1));
        Assert.Equal(new DrainStep.NotYet("for the digest at 28 Nov 2026, 07:00 UTC"), before);

        Assert.IsType<DrainStep.Read>(ChannelDrain.BeforeRead(DrainState.Start, Hourly, line, Now));
        Assert.IsType<DrainStep.Collect>(After(DrainState.Start, Entry() with { DigestLine = "• Story" }, Hourly));
        // An edit of a story already sent is sent on its own, digest or not.
        Assert.IsType<DrainStep.Send>(After(DrainState.Start, Entry() with { DigestLine = "• Story", EditMessageId = 7 }, Hourly));
    }

    [Fact]
    public void An_alert_sent_by_another_run_is_only_cleared_and_one_sent_but_unrecorded_is_recorded_not_sent()
    {
        Assert.IsType<DrainStep.Clear>(After(DrainState.Start, Entry(), delivered: true));
        Assert.IsType<DrainStep.RecordEarlierSend>(After(DrainState.Start, Entry() with { SentAs = 42 }));
        // Even in a channel whose chat is gone: what went out is recorded, never dead-lettered.
        var gone = new DrainState("Forbidden: bot was kicked", ChatUnusable: true);
        Assert.IsType<DrainStep.RecordEarlierSend>(After(gone, Entry() with { SentAs = 42 }));
    }

    [Fact]
    public void Once_the_chat_is_gone_every_alert_behind_is_read_and_dead_lettered_with_the_same_reason()
    {
        var gone = ChannelDrain.After(DrainState.Start, new DeliveryOutcome("news", "@news", "a1", DeliveryStatus.Rejected, "", "Forbidden: bot was kicked") { ChatUnusable = true });

        Assert.IsType<DrainStep.Read>(ChannelDrain.BeforeRead(gone, Plain, Waiting("a2", Now, Now), Now));
        Assert.Equal(new DrainStep.DeadLetter("Forbidden: bot was kicked"), After(gone, Entry("a2")));
    }

    public static TheoryData<string, string> NotBefore => new()
    {
        { "Telegram could not be reached", nameof(DeliveryStatus.Waiting) },                            // after a transient failure
        { $"{TelegramNotifier.FloodControlPrefix} retry after 300", nameof(DeliveryStatus.Deferred) }, // after flood control
    };

    [Theory]
    [MemberData(nameof(NotBefore))]
    public void An_alert_with_a_later_not_before_waits_and_stops_the_channel(string lastError, string status)
    {
        var step = After(DrainState.Start, Entry() with { NotBefore = Now.AddMinutes(3), LastError = lastError });

        var wait = Assert.IsType<DrainStep.Wait>(step);
        Assert.Equal(Enum.Parse<DeliveryStatus>(status), wait.Status);
        Assert.Equal($"waiting until 2026-11-28 07:03:00Z ({lastError})", wait.Reason);
        Assert.Equal(new DrainState(wait.Reason, wait.Status), ChannelDrain.After(DrainState.Start, step));
        Assert.IsType<DrainStep.Send>(After(DrainState.Start, Entry() with { NotBefore = Now.AddSeconds(-1), LastError = lastError }));
    }

    [Fact]
    public void Quiet_hours_hold_new_messages_until_they_end_or_send_them_silently_and_never_hold_an_edit()
    {
        var holding = Plain with { TimeZone = Karachi, QuietHours = new QuietHours(new TimeOnly(11, 0), new TimeOnly(13, 30), Hold: true) };
        var muting = holding with { QuietHours = holding.QuietHours! with { Hold = false } };

        Assert.Equal(new DrainStep.Hold("held for quiet hours until 28 Nov 2026, 13:30 UTC+05:00"), After(DrainState.Start, Entry(), holding));
        Assert.True(Assert.IsType<DrainStep.Send>(After(DrainState.Start, Entry(), muting)).SendAs!.Silent);
        Assert.False(Assert.IsType<DrainStep.Send>(After(DrainState.Start, Entry() with { EditMessageId = 7 }, holding)).SendAs!.Silent);
        Assert.False(Assert.IsType<DrainStep.Send>(After(DrainState.Start, Entry(), Plain)).SendAs!.Silent);
    }

    [Fact]
    public void A_due_digest_waits_behind_a_stopped_channel_is_held_by_quiet_hours_or_goes_without_link_previews()
    {
        Assert.Equal(new DrainStep.WaitBehind(DeliveryStatus.Deferred, "flood control"), ChannelDrain.Digest(new DrainState("flood control", DeliveryStatus.Deferred), Hourly, Now));
        var held = Hourly with { QuietHours = new QuietHours(new TimeOnly(6, 0), new TimeOnly(8, 0), Hold: true) };
        Assert.IsType<DrainStep.Hold>(ChannelDrain.Digest(DrainState.Start, held, Now));
        var send = Assert.IsType<DrainStep.Send>(ChannelDrain.Digest(DrainState.Start, Hourly, Now));
        Assert.Equal(LinkPreview.Off, send.SendAs!.LinkPreview);
    }

    public static TheoryData<string, string?, string, bool> Answers => new()
    {
        { nameof(DeliveryStatus.Sent), null, nameof(DeliveryStatus.Waiting), false },
        { nameof(DeliveryStatus.AlreadySent), null, nameof(DeliveryStatus.Waiting), false },
        { nameof(DeliveryStatus.Retrying), "Telegram answered 500", nameof(DeliveryStatus.Waiting), false },
        { nameof(DeliveryStatus.DeadLettered), "retried for 24 h", nameof(DeliveryStatus.Waiting), false },
        { nameof(DeliveryStatus.Deferred), "flood control: not before …", nameof(DeliveryStatus.Deferred), false },
        { nameof(DeliveryStatus.Rejected), null, nameof(DeliveryStatus.Waiting), false }, // one message refused: the rest go on
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Telegrams_answer_decides_whether_the_rest_of_the_channel_waits(string status, string? stop, string stopStatus, bool unusable)
    {
        var sent = new DeliveryOutcome("news", "@news", "a1", Enum.Parse<DeliveryStatus>(status), "", stop ?? (status == nameof(DeliveryStatus.Rejected) ? "Bad Request: message is too long" : null));
        Assert.Equal(new DrainState(stop, Enum.Parse<DeliveryStatus>(stopStatus), unusable), ChannelDrain.After(DrainState.Start, sent));
    }

    [Theory]
    [InlineData("23:00", "07:00", "2026-11-28T23:30:00Z", true)]
    [InlineData("23:00", "07:00", "2026-11-28T06:59:00Z", true)]
    [InlineData("23:00", "07:00", "2026-11-28T07:00:00Z", false)]
    [InlineData("23:00", "07:00", "2026-11-28T12:00:00Z", false)]
    [InlineData("01:00", "05:00", "2026-11-28T00:59:00Z", false)]
    [InlineData("01:00", "05:00", "2026-11-28T01:00:00Z", true)]
    public void The_window_may_cross_midnight(string from, string to, string at, bool inside) =>
        Assert.Equal(inside, new QuietHours(TimeOnly.Parse(from), TimeOnly.Parse(to), false).Contains(DateTimeOffset.Parse(at), null));

    [Fact]
    public void The_window_is_read_on_the_channels_clocks_through_a_daylight_saving_change()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var quiet = new QuietHours(new TimeOnly(0, 0), new TimeOnly(1, 30), Hold: true);

        // 29 March 2026: London's clocks go from 01:00 to 02:00, so 01:30 never comes; the window ends when they jump.
        var night = new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero);
        Assert.True(quiet.Contains(night, london));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), quiet.EndAfter(night, london));
        // In summer the same window is an hour earlier in UTC.
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 30, 0, TimeSpan.Zero), quiet.EndAfter(new DateTimeOffset(2026, 6, 30, 23, 15, 0, TimeSpan.Zero), london));
    }

    [Theory]
    [InlineData("\"23:00-07:00\"", "channels[0].quietHours: must be an object such as { \"from\": \"23:00\", \"to\": \"07:00\" }, not a string")]
    [InlineData("{ \"from\": \"25:00\", \"to\": \"07:00\" }", "channels[0].quietHours.from: '25:00' is not a time of day on a 24-hour clock, such as \"23:00\" or \"07:30\"")]
    [InlineData("{ \"from\": \"23:00\", \"to\": \"7pm\" }", "channels[0].quietHours.to: '7pm' is not a time of day on a 24-hour clock")]
    [InlineData("{ \"from\": \"23:00\" }", "channels[0].quietHours.to: ")]
    [InlineData("{ \"from\": \"23:00\", \"to\": \"23:00\" }", "channels[0].quietHours.to: is the same time as from (23:00)")]
    [InlineData("{ \"form\": \"23:00\", \"to\": \"07:00\" }", "channels[0].quietHours.form: unknown field 'form'; did you mean 'from'?")]
    [InlineData("{ \"from\": \"23:00\", \"to\": \"07:00\", \"hold\": \"yes\" }", "channels[0].quietHours.hold: must be true or false")]
    public void Check_says_what_is_wrong_with_quiet_hours_and_where(string quietHours, string error)
    {
        var json = $$"""
            { "feeds": [ { "id": "pt", "url": "https://pt.example/feed" } ],
              "channels": [ { "id": "desk", "chat": "@security_desk", "quietHours": {{quietHours}} } ],
              "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"] } ] }
            """;

        var thrown = Assert.Throws<ConfigException>(() => ConfigParser.Parse(json, "test"));

        Assert.Contains(thrown.Errors, e => e.ToString().StartsWith(error, StringComparison.Ordinal));
    }

    [Fact]
    public void An_also_reported_edit_waits_for_its_time_without_holding_up_the_channel()
    {
        var edit = Waiting("a1", Now, Now) with { After = Now.AddMinutes(10) };

        var step = ChannelDrain.BeforeRead(DrainState.Start, Plain, edit, Now);

        Assert.IsType<DrainStep.NotYet>(step);
        Assert.Equal(DrainState.Start, ChannelDrain.After(DrainState.Start, step));
        Assert.True(edit.WaitsAt(Now));
        Assert.IsType<DrainStep.Read>(ChannelDrain.BeforeRead(DrainState.Start, Plain, edit, Now.AddMinutes(10)));
        Assert.Equal(Now.AddMinutes(10), WaitingAlert.Of(Entry() with { After = Now.AddMinutes(10) }).Order); // it lines up at its time
    }
}
