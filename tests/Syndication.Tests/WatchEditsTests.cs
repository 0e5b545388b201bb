using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Tests.Infrastructure;
using Syndication.Watches;

namespace Syndication.Tests;

/// <summary>A subscriber's commands and who an article goes to, as pure decisions over the records: no storage.</summary>
public sealed class WatchEditsTests
{
    static readonly DateTimeOffset Now = TestClock.Start;

    static readonly SyndicationConfig Config = ConfigParser.Parse("""
        {
          "feeds": [ { "id": "dawn", "url": "https://dawn.example/feed" }, { "id": "geo", "url": "https://geo.example/feed" } ],
          "channels": [ { "id": "desk", "chat": "@desk" } ],
          "rules": [ { "id": "r", "anyOf": ["x"], "channels": ["desk"] } ]
        }
        """, "test");

    static Watch W(string text) => Assert.IsType<WatchParse.Read>(WatchText.Parse(text, Config)).Watch;

    static Subscriber Person(long chatId, params string[] watches) => new(chatId, "en", [.. watches.Select(W)], Now.AddDays(-1));

    [Fact]
    public void A_watch_is_added_numbered_and_the_same_watch_twice_is_not()
    {
        var added = WatchEdits.Add(Person(1, "Kayani"), W("IMF -cricket"));
        Assert.Equal("Watching #2: IMF -cricket", added.Reply);
        Assert.Equal(["Kayani", "IMF -cricket"], added.Changed!.Watches.Select(w => w.Text));

        // The same terms, exclusions and scopes, whatever their case or order: not added again.
        var again = WatchEdits.Add(added.Changed, W("imf  -Cricket"));
        Assert.Null(again.Changed);
        Assert.Equal("You already watch that: #2 IMF -cricket", again.Reply);
        Assert.NotNull(WatchEdits.Add(added.Changed, W("IMF -cricket feed:dawn")).Changed); // another scope is another watch
    }

    [Fact]
    public void A_person_keeps_at_most_20_watches()
    {
        var full = Person(1, [.. Enumerable.Range(1, Watch.MaxPerPerson).Select(i => $"term{i}")]);

        var refused = WatchEdits.Add(full, W("one more"));

        Assert.Null(refused.Changed);
        Assert.StartsWith("You have 20 watches, the most one person may keep.", refused.Reply);
    }

    [Theory]
    [InlineData("1", "Stopped watching #1: Kayani", "IMF")]
    [InlineData("2", "Stopped watching #2: IMF", "Kayani")]
    [InlineData("3", "Give the number of a watch, from 1 to 2", null)]
    [InlineData("0", "Give the number of a watch, from 1 to 2", null)]
    [InlineData("-1", "Give the number of a watch, from 1 to 2", null)]
    [InlineData("two", "Give the number of a watch, from 1 to 2", null)]
    public void Unwatch_removes_the_watch_of_that_number_or_says_which_numbers_there_are(string number, string reply, string? left)
    {
        var edit = WatchEdits.Remove(Person(1, "Kayani", "IMF"), number);

        Assert.StartsWith(reply, edit.Reply);
        Assert.Equal(left, edit.Changed is null ? null : string.Join(",", edit.Changed.Watches.Select(w => w.Text)));
    }

    [Fact]
    public void Watches_are_listed_by_number_with_mute_and_digest()
    {
        Assert.Equal("You have no watches. Start one with /watch and the words to look for.", WatchEdits.List(Person(1), Now));
        var person = Person(1, "Kayani", "\"Haqqani network\" -cricket") with { MutedUntil = Now.AddHours(8), Digest = WatchDigest.Daily };

        Assert.Equal($"1. Kayani\n2. \"Haqqani network\" -cricket\nMuted until {Now.AddHours(8):yyyy-MM-dd HH:mm} UTC.\nAlerts come as one daily list.", WatchEdits.List(person, Now));
        Assert.Equal("1. Kayani\n2. \"Haqqani network\" -cricket\nAlerts come as one daily list.", WatchEdits.List(person, Now.AddHours(9)));
    }

    [Fact]
    public void Mute_pauses_for_a_while_and_off_ends_it()
    {
        var muted = WatchEdits.Mute(Person(1, "Kayani"), TimeSpan.FromHours(8), Now);
        Assert.Equal(Now.AddHours(8), muted.Changed!.MutedUntil);
        Assert.StartsWith($"Muted until {Now.AddHours(8):yyyy-MM-dd HH:mm} UTC; stories found meanwhile are not sent later.", muted.Reply);

        Assert.Equal(("Alerts are on again.", (DateTimeOffset?)null), (WatchEdits.Mute(muted.Changed, null, Now.AddHours(1)) is var on ? on.Reply : "", on.Changed!.MutedUntil));
        Assert.Null(WatchEdits.Mute(muted.Changed, null, Now.AddHours(9)).Changed); // over already: nothing to change
        Assert.Null(WatchEdits.Mute(Person(1), TimeSpan.FromHours(1), Now).Changed);  // no watches, nothing to mute
    }

    [Theory]
    [InlineData("daily", WatchDigest.Daily, "Alerts now come as one daily list of headlines, at midnight UTC.")]
    [InlineData("Hourly", WatchDigest.Hourly, "Alerts now come as one hourly list of headlines, on the hour.")]
    [InlineData("off", null, "Alerts already come one message a story.")]
    [InlineData("weekly", null, "Say /digest off")]
    [InlineData("1", null, "Say /digest off")]
    [InlineData("", null, "Say /digest off")]
    public void Digest_is_off_hourly_or_daily(string mode, WatchDigest? set, string reply)
    {
        var edit = WatchEdits.SetDigest(Person(1, "Kayani"), mode);

        Assert.StartsWith(reply, edit.Reply);
        Assert.Equal(set, edit.Changed?.Digest);
    }

    [Fact]
    public void In_a_sweeps_configuration_each_person_is_a_channel_of_their_chat_with_their_digest_and_a_muted_persons_watches_are_left_out()
    {
        var index = WatchIndex.Empty
            .With(Person(5, "Kayani") with { Digest = WatchDigest.Daily })
            .With(Person(6, "IMF") with { MutedUntil = Now.AddHours(1) })
            .With(Person(7));

        var config = index.Into(Config, Now);

        Assert.Equal(["desk", "person-5", "person-6"], config.Channels.Select(c => c.Id)); // nobody without a watch
        Assert.Equal("5", config.FindChannel("person-5")!.Chat);
        Assert.Equal(TimeSpan.FromDays(1), config.FindChannel("person-5")!.Digest!.Every);
        Assert.Null(config.FindChannel("person-6")!.Digest);
        Assert.Equal(["r", "watch-5-1"], config.Rules.Select(r => r.Id));               // 6 is muted
        Assert.Equal(["r", "watch-5-1", "watch-6-1"], index.Into(Config, Now.AddHours(2)).Rules.Select(r => r.Id));
        Assert.Same(Config, WatchIndex.Empty.Into(Config, Now));
    }

    /// <summary>
    /// Who gets an article, as a sweep decides it: the configuration with the watches in it (<see cref="WatchIndex.Into"/>)
    /// matched, and each person's chat once among the matches' channels, with the numbers of the watches that matched.
    /// </summary>
    static IReadOnlyList<(Subscriber Subscriber, IReadOnlyList<int> Watches)> Recipients(WatchIndex index, string feedId, string title, DateTimeOffset now)
    {
        var entry = new FeedEntry("k", title, "https://dawn.example/1", now, null, [], "", "");
        return [.. RuleMatcher.For(index.Into(Config, now)).Match(feedId, entry)
            .SelectMany(m => m.Channels.Select(c => (Chat: Subscriber.ChatOf(c), m.RuleId)))
            .Where(x => x.Chat is not null)
            .GroupBy(x => x.Chat!.Value)
            .OrderBy(g => g.Key)
            .Select(g => (index.Subscribers.Single(s => s.ChatId == g.Key), (IReadOnlyList<int>)[.. g.Select(x => int.Parse(x.RuleId[(x.RuleId.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order()]))];
    }

    [Fact]
    public void An_article_goes_to_each_person_once_however_many_of_their_watches_match_and_to_nobody_muted()
    {
        var index = WatchIndex.Empty
            .With(Person(1, "Kayani", "army chief", "IMF"))
            .With(Person(2, "Kayani feed:geo"))
            .With(Person(3, "Kayani") with { MutedUntil = Now.AddHours(1) })
            .With(Person(4, "cricket"));

        var people = Recipients(index, "dawn", "Kayani, the army chief, meets the IMF", Now);

        var one = Assert.Single(people); // 2 watches only geo, 3 is muted, 4 watches something else
        Assert.Equal(1, one.Subscriber.ChatId);
        Assert.Equal([1, 2, 3], one.Watches);
        Assert.Equal([1, 2, 3], Recipients(index, "geo", "Kayani meets the IMF", Now.AddHours(2)).Select(p => p.Subscriber.ChatId)); // 3's mute is over
    }

    [Fact]
    public void A_persons_record_replaces_their_old_one_in_the_index_and_stop_takes_it_out()
    {
        var index = WatchIndex.Empty.With(Person(1, "Kayani")).With(Person(2, "IMF"));

        var changed = index.With(Person(1, "Haqqani")).Without(2);

        Assert.Equal("Haqqani", Assert.Single(changed.Subscribers).Watches.Single().Text);
        Assert.Equal(1, changed.WatchCount);
        Assert.Empty(Recipients(changed, "dawn", "IMF and Kayani", Now));
    }

    [Fact]
    public void Only_a_person_refused_by_telegram_counts_as_unsubscribed_and_the_count_survives_later_changes()
    {
        var index = WatchIndex.Empty.With(Person(1, "Kayani")).With(Person(2, "IMF")).With(Person(3, "IMF"));

        var after = index.Without(1, refused: true).Without(2).Without(99, refused: true).With(Person(4, "Kayani"));

        Assert.Equal(1, after.Unsubscribed); // 2 left by /stop; 99 was never there
        Assert.Equal([3L, 4L], after.Subscribers.Select(s => s.ChatId));
    }

    [Theory]
    [InlineData("K7QF-2MXA 9P", "K7QF2MXA9P")]
    [InlineData("k7qf2mxa9p", "K7QF2MXA9P")]
    [InlineData("K7QF2MXA9", null)] // too short
    [InlineData("K7QF2MXA9O", null)] // O is never in a code: it reads as 0
    [InlineData("K7QF2MXA9P1", null)]
    public void An_invitation_code_is_read_as_typed_or_refused(string typed, string? code) => Assert.Equal(code, InviteCodes.Read(typed));

    [Fact]
    public void New_codes_are_readable_and_differ()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => InviteCodes.New()).ToList();
        Assert.All(codes, c => Assert.Equal(c, InviteCodes.Read(c)));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.DoesNotContain(InviteCodes.New(), InviteCodes.BlobName(InviteCodes.New()));
    }

    [Theory]
    [InlineData(SubscriptionMode.Open, false, false, true)]
    [InlineData(SubscriptionMode.Invite, false, false, false)]
    [InlineData(SubscriptionMode.Invite, true, false, true)]
    [InlineData(SubscriptionMode.Invite, false, true, true)]
    [InlineData(SubscriptionMode.Off, true, true, false)]
    public void Who_may_watch_follows_the_deployments_choice(SubscriptionMode mode, bool admitted, bool editor, bool may) =>
        Assert.Equal(may, InviteCodes.MayWatch(mode, admitted, editor));

    [Fact]
    public void People_are_woken_together_and_channels_each_on_their_own()
    {
        Assert.Equal(["desk", Subscriber.People, "urdu-desk"],
            new[] { "desk", Subscriber.ChannelFor(5), Subscriber.ChannelFor(-7), "urdu-desk", Subscriber.ChannelFor(9) }.Select(Subscriber.WakeFor).Distinct());
        Assert.Equal("person-", Subscriber.OutboxPrefix(Subscriber.People));
        Assert.Equal("desk/", Subscriber.OutboxPrefix("desk"));
        Assert.Equal("person-5/", Subscriber.OutboxPrefix(Subscriber.ChannelFor(5)));
    }

    [Theory]
    [InlineData("watch-42-1", true)]
    [InlineData("watch--1001-12", true)]
    [InlineData("watch-kayani", false)]
    [InlineData("watch-42-x", false)]
    [InlineData("kayani", false)]
    public void A_watch_rule_is_told_from_an_editors_rule(string ruleId, bool watch) => Assert.Equal(watch, Subscriber.IsWatchRule(ruleId));

    [Fact]
    public void An_urdu_subscriber_hears_every_answer_in_urdu()
    {
        var none = Person(7) with { Language = "ur" };
        var one = WatchEdits.Add(none, W("Kayani"));
        var muted = WatchEdits.Mute(one.Changed!, TimeSpan.FromHours(8), Now);
        var daily = WatchEdits.SetDigest(one.Changed!, "daily");
        string[] replies =
        [
            WatchEdits.List(none, Now), one.Reply, WatchEdits.Add(one.Changed!, W("kayani")).Reply, WatchEdits.Remove(one.Changed!, "9").Reply,
            WatchEdits.Remove(one.Changed!, "1").Reply, muted.Reply, WatchEdits.Mute(muted.Changed!, null, Now).Reply, WatchEdits.Mute(one.Changed!, null, Now).Reply,
            WatchEdits.SetDigest(one.Changed!, "weekly").Reply, daily.Reply, WatchEdits.SetDigest(daily.Changed!, "daily").Reply, WatchEdits.SetDigest(daily.Changed!, "off").Reply,
            WatchEdits.SetDigest(one.Changed!, "off").Reply, WatchEdits.List(muted.Changed! with { Digest = WatchDigest.Hourly }, Now),
        ];

        Assert.All(replies, r => Assert.Matches(@"\p{IsArabic}", r));
        Assert.All(replies, r => Assert.DoesNotMatch(@"\b(You|Alerts|Say|Give|Muted|Watching|Stopped)\b", r));
        Assert.Equal("واچ #1 شروع: Kayani", one.Reply);
        Assert.Equal("Watching #1: Kayani", WatchEdits.Add(Person(8), W("Kayani")).Reply);
    }
}
