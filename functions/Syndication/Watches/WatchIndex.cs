using Syndication.Config;

namespace Syndication.Watches;

/// <summary>
/// Every subscriber and their watches in one record, which is all a sweep reads (one blob, not one per person). Its
/// watches compile, once per version, into the same term index the rules use, so matching an article costs about the
/// same with ten people as with ten thousand.
/// </summary>
public sealed record WatchIndex(IReadOnlyList<Subscriber> Subscribers)
{
    public static readonly WatchIndex Empty = new([]);

    /// <summary>People unsubscribed because Telegram refused their chat for good (they blocked the bot): a count, for <c>status</c>.</summary>
    public int Unsubscribed { get; init; }

    /// <summary>The index with this subscriber's record in place of the one it had (or added).</summary>
    public WatchIndex With(Subscriber subscriber) =>
        new([.. Subscribers.Where(s => s.ChatId != subscriber.ChatId), subscriber]) { Unsubscribed = Unsubscribed };

    /// <summary>The index without this person; <paramref name="refused"/> counts them as unsubscribed because their chat was refused.</summary>
    public WatchIndex Without(long chatId, bool refused = false) =>
        new([.. Subscribers.Where(s => s.ChatId != chatId)]) { Unsubscribed = Unsubscribed + (refused && Subscribers.Any(s => s.ChatId == chatId) ? 1 : 0) };

    public int WatchCount => Subscribers.Sum(s => s.Watches.Count);

    /// <summary>
    /// The configuration a sweep works with when people may subscribe: each subscriber with a watch is a channel, their
    /// private chat, and each of their watches a rule to it, so their alerts are matched, claimed as one story, queued,
    /// paced and recorded exactly as a channel's are. A muted person's watches are left out until the mute ends.
    /// </summary>
    public SyndicationConfig Into(SyndicationConfig config, DateTimeOffset now)
    {
        var people = Subscribers.Where(s => s.Watches.Count > 0).ToList();
        if (people.Count == 0) return config;
        return config with
        {
            Channels = [.. config.Channels, .. people.Select(s => new ChannelDefinition(s.ChannelId, s.ChatId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                Digest = s.Digest switch
                {
                    WatchDigest.Hourly => DigestSchedule.EveryPeriod(TimeSpan.FromHours(1)),
                    WatchDigest.Daily => DigestSchedule.EveryPeriod(TimeSpan.FromDays(1)),
                    _ => null,
                },
            })],
            Rules = [.. config.Rules, .. people.Where(s => !s.MutedAt(now)).SelectMany(s => s.Rules())],
        };
    }

    /// <summary>When <see cref="Into"/> next gives another answer with no change to the index: the soonest end of a mute.</summary>
    public DateTimeOffset NextChange(DateTimeOffset now) =>
        Subscribers.Select(s => s.MutedUntil).Where(t => t > now).Min() ?? DateTimeOffset.MaxValue;
}
