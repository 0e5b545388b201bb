using Syndication.Articles;
using Syndication.Config;
using Syndication.Previews;
using Syndication.Telegram;
using Syndication.Watches;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Editing;

/// <summary>
/// What anyone may do in a private chat with the bot when the configuration's <c>subscriptions</c> is <c>open</c>:
/// follow their own keyword watches. Each command reads the person's record, asks <see cref="WatchEdits"/>, and writes
/// what it returns; the record is all the bot keeps about them, and <c>/stop</c> deletes it.
/// </summary>
public sealed class SubscriberCommands(SubscriberStore store, InviteStore invites, Sweeps.SubscriberUpkeep upkeep, HeadlineLog headlines, TimeProvider time)
{
    /// <summary>The commands a subscriber has; <c>/start</c> and <c>/help</c> are theirs only when they are not an editor.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { "watch", "watches", "unwatch", "mute", "digest", "stop" };

    public static readonly IReadOnlySet<string> Greetings = new HashSet<string>(StringComparer.Ordinal) { "start", "help" };

    /// <summary>Three lines, in the person's language as Telegram reports it (Urdu, else English).</summary>
    public static string Welcome(string? languageCode) => IsUrdu(languageCode)
        ? "میں خبروں کے الرٹ بھیجتا ہوں۔ مجھے وہ الفاظ بتائیں جن پر نظر رکھنی ہے، اور جب کسی خبر میں ان کا ذکر ہو گا تو میں آپ کو پیغام بھیجوں گا۔\n"
          + "/watch Kayani — یا واوین میں کوئی جملہ، نکالنے کے لیے ‎-لفظ، کسی ایک فیڈ کے لیے ‎feed:نام\n"
          + "/watches آپ کی فہرست، ‎/unwatch N ایک ہٹاتا ہے، ‎/mute 8h اور ‎/digest daily الرٹ کم کرتے ہیں، ‎/stop میرے پاس آپ کی ہر معلومات مٹا دیتا ہے۔"
        : "I send news alerts. Tell me words to watch, and I message you when a story mentions them.\n"
          + "/watch Kayani — or a phrase in quotes, -word to leave a word out, feed:name for one feed\n"
          + "/watches lists yours, /unwatch N removes one, /mute 8h and /digest daily calm them, /stop deletes everything I keep about you.";

    /// <summary>What a person who was not invited hears when the deployment takes subscribers by invitation.</summary>
    public static string ByInvitation(string? languageCode) => IsUrdu(languageCode)
        ? "میں خبروں کے الرٹ صرف ان لوگوں کو بھیجتا ہوں جنہیں ایڈیٹر مدعو کریں۔ اگر آپ کے پاس دعوتی کوڈ ہے تو ‎/start CODE بھیجیں۔"
        : "I send news alerts to the people my editors invite. If you have an invitation code, send /start CODE.";

    static bool IsUrdu(string? languageCode) => languageCode?.StartsWith("ur", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// Runs a subscriber's command. Null when the deployment takes subscribers by invitation and this person has none:
    /// the caller answers them with <see cref="ByInvitation"/> within the budget for strangers, and nothing is kept.
    /// </summary>
    public async Task<Reply?> RunAsync(long chatId, string? languageCode, CommandText command, SyndicationConfig config, bool editor, CancellationToken cancellationToken)
    {
        // Only by invitation is the record read first: it is what says the person was admitted.
        if (config.Subscriptions != SubscriptionMode.Open && !InviteCodes.MayWatch(config.Subscriptions, admitted: await store.GetAsync(chatId, cancellationToken) is not null, editor))
            return command.Name == "start" && command.Arguments.FirstOrDefault() is { } typed ? await AdmitAsync(chatId, languageCode, typed, cancellationToken) : null;
        switch (command.Name)
        {
            case "start" or "help":
                return Plain(Welcome(languageCode));
            case "watches":
                return Plain(await store.GetAsync(chatId, cancellationToken) is { } read ? WatchEdits.List(read.Subscriber, time.GetUtcNow()) : WatchEdits.List(New(chatId, languageCode), time.GetUtcNow()));
            case "stop":
                var had = (await store.GetAsync(chatId, cancellationToken))?.Subscriber.Watches.Count ?? 0;
                var person = New(chatId, languageCode);
                return Plain(await upkeep.ForgetAsync(chatId, cancellationToken)
                    ? person.Say($"Done: I deleted your chat id, your {(had == 1 ? "1 watch" : $"{had} watches")} and the record of what I sent you: all I kept about you. You will get nothing more; /start to begin again.",
                        $"ہو گیا: میں نے آپ کی چیٹ آئی ڈی، آپ کی {had} واچ اور آپ کو بھیجے گئے پیغامات کا ریکارڈ مٹا دیا، یعنی جو کچھ میرے پاس تھا۔ اب آپ کو کچھ نہیں ملے گا؛ دوبارہ شروع کرنے کے لیے ‎/start۔")
                    : person.Say("I keep nothing about you. /start to begin.", "میرے پاس آپ کی کوئی معلومات نہیں۔ شروع کرنے کے لیے ‎/start۔"));
            case "watch":
                return WatchText.Parse(command.Rest, config) switch
                {
                    WatchParse.Refused(var reason) => Plain(reason),
                    WatchParse.Read(var watch) => await WatchAsync(chatId, languageCode, watch, config, cancellationToken),
                    _ => throw new InvalidOperationException("a watch is read or refused"),
                };
            case "mute":
                var argument = command.Arguments.FirstOrDefault() ?? "";
                var span = CommandText.Duration(argument);
                if (span is null && !argument.Equals("off", StringComparison.OrdinalIgnoreCase))
                    return Plain(New(chatId, languageCode).Say("Say how long: /mute 30m, 8h, 2d or 1w (up to 90d), or /mute off.",
                        "بتائیں کتنی دیر: ‎/mute 30m، 8h، 2d یا 1w (90d تک)، یا ‎/mute off۔"));
                return Plain((await ChangeAsync(chatId, languageCode, s => WatchEdits.Mute(s, span, time.GetUtcNow()), cancellationToken)).Reply);
            case "digest":
                return Plain((await ChangeAsync(chatId, languageCode, s => WatchEdits.SetDigest(s, command.Arguments.FirstOrDefault() ?? ""), cancellationToken)).Reply);
            case "unwatch":
                return Plain((await ChangeAsync(chatId, languageCode, s => WatchEdits.Remove(s, command.Arguments.FirstOrDefault() ?? ""), cancellationToken)).Reply);
            default:
                return Plain(Welcome(languageCode));
        }
    }

    /// <summary>Admits a person by the code an editor gave them (<c>/start CODE</c>, or Telegram's <c>?start=CODE</c> link), once.</summary>
    async Task<Reply?> AdmitAsync(long chatId, string? languageCode, string typed, CancellationToken cancellationToken)
    {
        if (InviteCodes.Read(typed) is not { } code) return null;
        switch (await invites.RedeemAsync(code, cancellationToken))
        {
            case InviteOutcome.Admitted:
                await store.SaveAsync(New(chatId, languageCode), null, cancellationToken);
                return Plain(Welcome(languageCode));
            case InviteOutcome.Expired:
                return Plain(New(chatId, languageCode).Say("That invitation code has expired. Ask an editor for a new one.", "یہ دعوتی کوڈ ختم ہو چکا ہے۔ کسی ایڈیٹر سے نیا مانگیں۔"));
            default:
                return Plain(New(chatId, languageCode).Say("That invitation code is not one I know, or it was used already. Ask an editor for a new one.",
                    "یہ دعوتی کوڈ میرے پاس نہیں، یا استعمال ہو چکا ہے۔ کسی ایڈیٹر سے نیا مانگیں۔"));
        }
    }

    /// <summary>Adds the watch and, when it was added, shows what it would have matched in the last day.</summary>
    async Task<Reply> WatchAsync(long chatId, string? languageCode, Watch watch, SyndicationConfig config, CancellationToken cancellationToken)
    {
        var edit = await ChangeAsync(chatId, languageCode, s => WatchEdits.Add(s, watch), cancellationToken);
        if (edit.Changed is null) return Plain(edit.Reply);
        var read = await headlines.ReadSinceAsync(time.GetUtcNow() - WatchPreview.Window, cancellationToken);
        return new Reply(HtmlText.Escape(edit.Reply) + "\n" + WatchPreview.Describe(WatchPreview.Match(watch, config, read), edit.Changed.Language));
    }

    Subscriber New(long chatId, string? languageCode) => new(chatId, IsUrdu(languageCode) ? "ur" : "en", [], time.GetUtcNow());

    /// <summary>Reads the record, decides, writes on the version read; a command that raced another is decided again.</summary>
    async Task<WatchEdit> ChangeAsync(long chatId, string? languageCode, Func<Subscriber, WatchEdit> decide, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var read = await store.GetAsync(chatId, cancellationToken);
            var edit = decide(read?.Subscriber ?? New(chatId, languageCode));
            if (edit.Changed is null || await store.SaveAsync(edit.Changed, read?.ETag, cancellationToken)) return edit;
            if (attempt == 2) return new(null, "Your watches changed from another command at the same moment three times over; nothing was changed. Send it again.");
        }
    }

    /// <summary>A reply of the person's own words: escaped, since a reply is Telegram HTML.</summary>
    static Reply Plain(string text) => new(HtmlText.Escape(text));
}
