using System.Text.Json.Serialization;
using Syndication.Config;

namespace Syndication.Watches;

/// <summary>How a subscriber takes their alerts: one message each, or one list of headlines an hour or a day.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WatchDigest>))]
public enum WatchDigest
{
    Off,
    Hourly,
    Daily,
}

/// <summary>
/// Everything the bot keeps about one person who follows their own watches: their private chat's id, the language
/// Telegram reported for them, their watches (numbered from 1 in this order), and how they take alerts. Nothing else:
/// no name, no username, no messages. <c>/stop</c> deletes it whole.
/// </summary>
public sealed record Subscriber(long ChatId, string Language, IReadOnlyList<Watch> Watches, DateTimeOffset JoinedAt)
{
    /// <summary>No alerts until then (<c>/mute 8h</c>); null when not muted.</summary>
    public DateTimeOffset? MutedUntil { get; init; }

    public WatchDigest Digest { get; init; }

    /// <summary>The channel id a person's alerts are queued under, as a channel's are under its configured id.</summary>
    public string ChannelId => ChannelFor(ChatId);

    public static string ChannelFor(long chatId) => $"{ChannelPrefix}{chatId}";

    const string ChannelPrefix = SyndicationConfig.PersonChannelPrefix;

    /// <summary>
    /// Every person's channel at once, as one wake-up: the alerts of a story for thousands of people are drained by one
    /// queue message, not one each, so the channels' own wake-ups are never queued behind theirs.
    /// </summary>
    public const string People = ChannelPrefix + "*";

    /// <summary>What to wake for alerts queued to <paramref name="channelId"/>: the channel itself, or, for a person, <see cref="People"/>.</summary>
    public static string WakeFor(string channelId) => ChatOf(channelId) is null ? channelId : People;

    /// <summary>The outbox prefix under which <paramref name="channelId"/>'s alerts wait; every person's for <see cref="People"/>.</summary>
    public static string OutboxPrefix(string channelId) => channelId == People ? ChannelPrefix : channelId + "/";

    /// <summary>The private chat a person's channel id stands for; null for any other channel.</summary>
    public static long? ChatOf(string channelId) =>
        channelId.StartsWith(ChannelPrefix, StringComparison.Ordinal)
        && long.TryParse(channelId.AsSpan(ChannelPrefix.Length), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var chat) ? chat : null;

    /// <summary>The rule id of the watch numbered <paramref name="number"/> (from 1).</summary>
    public static string RuleFor(long chatId, int number) => $"{WatchRulePrefix}{chatId}-{number}";

    const string WatchRulePrefix = "watch-";

    /// <summary>Whether a rule id is a person's watch (<see cref="RuleFor"/>) rather than an editor's rule.</summary>
    public static bool IsWatchRule(string ruleId)
    {
        if (!ruleId.StartsWith(WatchRulePrefix, StringComparison.Ordinal)) return false;
        var rest = ruleId.AsSpan(WatchRulePrefix.Length);
        var dash = rest.LastIndexOf('-');
        return dash > 0 && long.TryParse(rest[..dash], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)
            && int.TryParse(rest[(dash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
    }

    public bool MutedAt(DateTimeOffset now) => MutedUntil > now;

    /// <summary>The person's own words: Urdu when Telegram reported Urdu for them, else English.</summary>
    public string Say(string english, string urdu) => Language == "ur" ? urdu : english;

    /// <summary>Each watch as the rule it is, in the person's private chat.</summary>
    public IEnumerable<RuleDefinition> Rules() => Watches.Select((w, i) => w.ToRule(RuleFor(ChatId, i + 1), ChannelId));
}

/// <summary>What a command did to a subscriber, and what to tell them; a null subscriber means nothing changed.</summary>
public sealed record WatchEdit(Subscriber? Changed, string Reply);

/// <summary>A subscriber's commands as pure decisions over the record: the store writes what they return.</summary>
public static class WatchEdits
{
    static string NoWatches(Subscriber s) => s.Say("You have no watches. Start one with /watch and the words to look for.",
        "آپ کی کوئی واچ نہیں۔ ‎/watch کے بعد وہ الفاظ لکھیں جن پر نظر رکھنی ہے۔");

    static string Period(Subscriber s, WatchDigest digest) => digest == WatchDigest.Hourly ? s.Say("hourly", "گھنٹے وار") : s.Say("daily", "روزانہ");

    /// <summary>Adds a watch, unless it repeats one the person has, or they have as many as they may keep.</summary>
    public static WatchEdit Add(Subscriber subscriber, Watch watch)
    {
        var same = subscriber.Watches.Select((w, i) => (w, Number: i + 1))
            .FirstOrDefault(x => x.w.Terms.SequenceEqual(watch.Terms, StringComparer.OrdinalIgnoreCase)
                && x.w.Excluded.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(watch.Excluded.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase)
                && x.w.Scopes.Order(StringComparer.Ordinal).SequenceEqual(watch.Scopes.Order(StringComparer.Ordinal), StringComparer.Ordinal));
        if (same.w is not null) return new(null, subscriber.Say($"You already watch that: #{same.Number} {same.w.Text}", $"آپ پہلے ہی اس پر نظر رکھتے ہیں: #{same.Number} {same.w.Text}"));
        if (subscriber.Watches.Count >= Watch.MaxPerPerson)
            return new(null, subscriber.Say($"You have {Watch.MaxPerPerson} watches, the most one person may keep. Remove one with /unwatch N (/watches lists them).",
                $"آپ کی {Watch.MaxPerPerson} واچ ہیں، جو ایک شخص کی حد ہے۔ ‎/unwatch N سے ایک ہٹائیں (‎/watches فہرست دکھاتا ہے)۔"));
        var changed = subscriber with { Watches = [.. subscriber.Watches, watch] };
        return new(changed, subscriber.Say($"Watching #{changed.Watches.Count}: {watch.Text}", $"واچ #{changed.Watches.Count} شروع: {watch.Text}"));
    }

    /// <summary>Removes the watch numbered <paramref name="number"/>, as /watches numbers them.</summary>
    public static WatchEdit Remove(Subscriber subscriber, string number)
    {
        if (subscriber.Watches.Count == 0) return new(null, NoWatches(subscriber));
        if (!int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1 || n > subscriber.Watches.Count)
            return new(null, subscriber.Say($"Give the number of a watch, from 1 to {subscriber.Watches.Count}, as /watches lists them: /unwatch 2",
                $"‎/watches کی فہرست سے 1 سے {subscriber.Watches.Count} تک کسی واچ کا نمبر دیں: ‎/unwatch 2"));
        var removed = subscriber.Watches[n - 1];
        return new(subscriber with { Watches = [.. subscriber.Watches.Where((_, i) => i != n - 1)] }, subscriber.Say($"Stopped watching #{n}: {removed.Text}", $"واچ #{n} ختم: {removed.Text}"));
    }

    /// <summary>
    /// Mutes the person for <paramref name="duration"/> (stories found meanwhile are not sent later), or, with null,
    /// ends a mute.
    /// </summary>
    public static WatchEdit Mute(Subscriber subscriber, TimeSpan? duration, DateTimeOffset now)
    {
        if (subscriber.Watches.Count == 0) return new(null, NoWatches(subscriber));
        if (duration is not { } span)
            return subscriber.MutedAt(now)
                ? new(subscriber with { MutedUntil = null }, subscriber.Say("Alerts are on again.", "الرٹ دوبارہ شروع ہیں۔"))
                : new(null, subscriber.Say("You are not muted. /mute 8h pauses alerts (from 1m to 90d).", "الرٹ بند نہیں ہیں۔ ‎/mute 8h انہیں روکتا ہے (1m سے 90d تک)۔"));
        var until = now + span;
        return new(subscriber with { MutedUntil = until }, subscriber.Say(
            $"Muted until {until:yyyy-MM-dd HH:mm} UTC; stories found meanwhile are not sent later. /mute off to hear again.",
            $"‎{until:yyyy-MM-dd HH:mm} UTC تک الرٹ بند؛ اس دوران کی خبریں بعد میں نہیں بھیجی جائیں گی۔ ‎/mute off سے دوبارہ شروع کریں۔"));
    }

    /// <summary>Sets how alerts come: one message each (<c>off</c>), or one list of headlines an hour or a day.</summary>
    public static WatchEdit SetDigest(Subscriber subscriber, string mode)
    {
        if (subscriber.Watches.Count == 0) return new(null, NoWatches(subscriber));
        if (!Enum.TryParse<WatchDigest>(mode, ignoreCase: true, out var digest) || !Enum.IsDefined(digest) || int.TryParse(mode, out _))
            return new(null, subscriber.Say("Say /digest off (one message a story), /digest hourly or /digest daily (one list of headlines, at midnight UTC).",
                "‎/digest off (ہر خبر الگ پیغام میں)، ‎/digest hourly یا ‎/digest daily (سرخیوں کی ایک فہرست، روزانہ آدھی رات UTC پر) لکھیں۔"));
        if (digest == subscriber.Digest)
            return new(null, digest == WatchDigest.Off
                ? subscriber.Say("Alerts already come one message a story.", "الرٹ پہلے ہی ہر خبر کے لیے الگ پیغام میں آتے ہیں۔")
                : subscriber.Say($"Alerts already come as one {Period(subscriber, digest)} list.", $"الرٹ پہلے ہی ایک {Period(subscriber, digest)} فہرست میں آتے ہیں۔"));
        return new(subscriber with { Digest = digest }, digest switch
        {
            WatchDigest.Off => subscriber.Say("Alerts come one message a story again.", "الرٹ پھر سے ہر خبر کے لیے الگ پیغام میں آئیں گے۔"),
            WatchDigest.Hourly => subscriber.Say("Alerts now come as one hourly list of headlines, on the hour.", "الرٹ اب ہر گھنٹے سرخیوں کی ایک فہرست میں آئیں گے۔"),
            _ => subscriber.Say("Alerts now come as one daily list of headlines, at midnight UTC.", "الرٹ اب روزانہ آدھی رات UTC پر سرخیوں کی ایک فہرست میں آئیں گے۔"),
        });
    }

    /// <summary>The person's watches, numbered, and how they take alerts.</summary>
    public static string List(Subscriber subscriber, DateTimeOffset now)
    {
        if (subscriber.Watches.Count == 0) return NoWatches(subscriber);
        var lines = subscriber.Watches.Select((w, i) => $"{i + 1}. {w.Text}").ToList();
        if (subscriber.MutedAt(now)) lines.Add(subscriber.Say($"Muted until {subscriber.MutedUntil:yyyy-MM-dd HH:mm} UTC.", $"‎{subscriber.MutedUntil:yyyy-MM-dd HH:mm} UTC تک الرٹ بند ہیں۔"));
        if (subscriber.Digest != WatchDigest.Off)
            lines.Add(subscriber.Say($"Alerts come as one {Period(subscriber, subscriber.Digest)} list.", $"الرٹ ایک {Period(subscriber, subscriber.Digest)} فہرست میں آتے ہیں۔"));
        return string.Join('\n', lines);
    }
}
