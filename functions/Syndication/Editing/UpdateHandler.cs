using System.Threading.RateLimiting;
using Azure;
using Microsoft.Extensions.Logging;
using Syndication.Config;
using Syndication.Storage;
using Syndication.Telegram;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Editing;

/// <summary>
/// How many commands one person may run: 20 a minute, per process. Kept for the process's life, so that both the
/// webhook function and <c>syndication listen</c> hold it across updates.
/// </summary>
public sealed class CommandLimits : IDisposable
{
    public const int PerMinute = 20;

    readonly PartitionedRateLimiter<long> commands = PartitionedRateLimiter.Create<long, long>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions { PermitLimit = PerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    // One "slow down" a minute, not one per refused command.
    readonly PartitionedRateLimiter<long> warnings = PartitionedRateLimiter.Create<long, long>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    public bool TryRun(long user) => commands.AttemptAcquire(user).IsAcquired;

    public bool TryWarn(long user) => warnings.AttemptAcquire(user).IsAcquired;

    /// <summary>
    /// The editors' page's requests a minute per editor: the same kind of limit, with room for the trials a rule's form
    /// asks for as its editor types (one after each pause).
    /// </summary>
    public const int PagePerMinute = 60;

    readonly PartitionedRateLimiter<long> pages = PartitionedRateLimiter.Create<long, long>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions { PermitLimit = PagePerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    public bool TryPage(long user) => pages.AttemptAcquire(user).IsAcquired;

    /// <summary>Polite lines to people who are not editors, bot-wide: a crowd of strangers cannot spend the bot's sending budget.</summary>
    public const int StrangerRepliesPerMinute = 30;

    readonly RateLimiter strangers = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = StrangerRepliesPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    public bool TryAnswerStranger() => strangers.AttemptAcquire().IsAcquired;

    public void Dispose()
    {
        commands.Dispose();
        warnings.Dispose();
        pages.Dispose();
        strangers.Dispose();
    }
}

/// <summary>
/// Handles one update from Telegram, whichever way it came (the webhook or <c>syndication listen</c>): each
/// <c>update_id</c> once, even when Telegram sends it again; commands only from the configuration's editors, in a private
/// chat with the bot or in the editors' <c>alerts.chat</c>; anyone else gets one polite line and learns nothing.
/// </summary>
public sealed class UpdateHandler(LiveConfig live, EditorCommands commands, SubscriberCommands subscribers, EditorBot bot, CommandLimits limits, RuleFeedback feedback,
    StorageContainers containers, Delivery.FloodControl flood, ILogger<UpdateHandler> logger)
{
    public const string Stranger = "This bot sends news alerts. It takes commands only from its editors.";
    const string WrongChat = "I take commands in a private chat with me, or in the editors' chat.";
    static readonly string SlowDown = $"That is more than {CommandLimits.PerMinute} commands a minute; wait a minute and try again.";

    /// <summary>Handles the update; false when it had been handled already.</summary>
    public async Task<bool> HandleAsync(Update update, CancellationToken cancellationToken)
    {
        var marker = containers.Config.GetBlobClient($"updates/{update.Id}");
        if (!await MarkHandledAsync(marker, update, cancellationToken))
        {
            logger.LogInformation("Update {UpdateId} was handled already (Telegram sent it again); ignored", update.Id);
            return false;
        }
        try
        {
            if (update.Message is { Text: { } text, From: { } from } message) await OnMessageAsync(message, from, text, cancellationToken);
            // A file sent with a command as its caption (/import): the command runs with the file, read only if it asks for it.
            else if (update.Message is { Document: { } document, Caption: { } caption, From: { } sender } withFile && caption.StartsWith('/'))
                await OnMessageAsync(withFile, sender, caption, cancellationToken, ct => bot.DownloadAsync(document.FileId, Feeds.Opml.MaxBytes, ct));
            else if (update.CallbackQuery is { Data: { } data, From: { } presser, Message: { } pressedOn } query) await OnButtonAsync(query, presser, pressedOn.Chat, data, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RequestFailedException or StorageUnavailableException or AggregateException)
        {
            // Storage failed midway: let Telegram send the update again rather than lose it.
            await marker.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }
        catch (ConfigException ex)
        {
            // Nobody can be told apart from a stranger while the live configuration cannot be read: no answer, a loud log.
            logger.LogError("Update {UpdateId} was not handled: the live configuration is invalid ({Error}); fix it with 'syndication config push'", update.Id, ex.Message);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A fault of ours: sending the same update again would fault again, so it is logged and answered as done.
            logger.LogError(ex, "Update {UpdateId} failed: {Error}", update.Id, ex.Message);
            if ((update.Message?.Chat.Id ?? update.CallbackQuery?.Message?.Chat.Id) is { } chat)
                await AnswerAsync(chat, new Reply("Something went wrong running that; it was logged for the operators."), null, CancellationToken.None);
            return true;
        }
    }

    /// <summary>Records the update as handled; false when it was already. The container is made only the first time it is missing.</summary>
    async Task<bool> MarkHandledAsync(Azure.Storage.Blobs.BlobClient marker, Update update, CancellationToken cancellationToken)
    {
        try
        {
            return await BlobJson.TryCreateAsync(marker, new { update.Id, update.Type }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await containers.Config.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            return await BlobJson.TryCreateAsync(marker, new { update.Id, update.Type }, cancellationToken);
        }
    }

    async Task OnMessageAsync(Message message, User from, string text, CancellationToken cancellationToken, Func<CancellationToken, Task<byte[]>>? attachment = null)
    {
        if (message.Chat.Type == ChatType.Channel) return;
        var command = CommandText.Parse(text);
        var isPrivate = message.Chat.Type == ChatType.Private;
        if (command is null && !isPrivate) return; // a group's chatter is not for the bot
        // "/help@other_bot" in a group is for another bot.
        if (command?.Bot is { } named && await UsernameAsync(cancellationToken) is { } own && !named.Equals(own, StringComparison.OrdinalIgnoreCase)) return;
        var config = (await live.ReadAsync(cancellationToken))?.Config;
        if (isPrivate && config is { Subscriptions: SubscriptionMode.Open or SubscriptionMode.Invite } && command is { } asked
            && (SubscriberCommands.Names.Contains(asked.Name) || SubscriberCommands.Greetings.Contains(asked.Name) && config.FindEditor(from.Id) is null))
        {
            // Anyone's own watches, in their private chat: an editor's too (their /start and /help stay the editors' help).
            if (!limits.TryRun(from.Id))
            {
                if (limits.TryWarn(from.Id)) await AnswerAsync(message.Chat.Id, new Reply(SlowDown), message.MessageId, cancellationToken);
                return;
            }
            if (await subscribers.RunAsync(message.Chat.Id, from.LanguageCode, asked, config, config.FindEditor(from.Id) is not null, cancellationToken) is { } answer)
            {
                logger.LogInformation("A subscriber ran /{Command}", asked.Name);
                await AnswerAsync(message.Chat.Id, answer, message.MessageId, cancellationToken);
            }
            else if (limits.TryAnswerStranger())
            {
                // Not invited: one polite line, within the bot-wide budget for strangers, and nothing kept.
                await AnswerAsync(message.Chat.Id, new Reply(HtmlText.Escape(SubscriberCommands.ByInvitation(from.LanguageCode))), message.MessageId, cancellationToken);
            }
            return;
        }
        if (await WhoMayAsync(config, from, message.Chat, text, cancellationToken) is not { } editor) return;
        Reply reply;
        if (!limits.TryRun(from.Id))
        {
            if (!limits.TryWarn(from.Id)) return;
            reply = new Reply(SlowDown);
        }
        else reply = await commands.RunAsync(editor, text, config!, cancellationToken, attachment) ?? new Reply("/help lists what I can do.");
        logger.LogInformation("{Editor} ran {Command} in chat {Chat}", editor.Name, command is null ? "(no command)" : "/" + command.Name, message.Chat.Id);
        await AnswerAsync(message.Chat.Id, reply, message.MessageId, cancellationToken);
    }

    async Task OnButtonAsync(CallbackQuery query, User presser, Chat chat, string data, CancellationToken cancellationToken)
    {
        var config = (await live.ReadAsync(cancellationToken))?.Config;
        var editor = config?.FindEditor(presser.Id);
        if (data == TelegramNotifier.NotRelevantCommand)
        {
            await NotRelevantAsync(query, presser, chat, config, editor, cancellationToken);
            return;
        }
        if (editor is null || !CommandChat(config!, chat))
        {
            logger.LogInformation("A button was pressed by user {User}, who is not an editor here; ignored", presser.Id);
            await TryAsync(() => bot.AnswerButtonAsync(query.Id, editor is null ? Stranger : WrongChat, cancellationToken));
            return;
        }
        if (!limits.TryRun(presser.Id))
        {
            await TryAsync(() => bot.AnswerButtonAsync(query.Id, SlowDown, cancellationToken));
            return;
        }
        await TryAsync(() => bot.AnswerButtonAsync(query.Id, null, cancellationToken));
        var reply = await commands.RunAsync(editor, data, config!, cancellationToken) ?? new Reply("That button no longer does anything.");
        logger.LogInformation("{Editor} pressed {Command} in chat {Chat}", editor.Name, CommandText.Parse(data)?.Name ?? "?", chat.Id);
        await AnswerAsync(chat.Id, reply, null, cancellationToken);
    }

    /// <summary>
    /// "Not relevant" under an alert: an editor's press marks it against the rules that sent it; anyone else's is thanked
    /// and not counted. The answer is the short notice Telegram shows over the chat.
    /// </summary>
    async Task NotRelevantAsync(CallbackQuery query, User presser, Chat chat, SyndicationConfig? config, EditorDefinition? editor, CancellationToken cancellationToken)
    {
        string answer;
        if (editor is null) answer = "Thank you. Only the editors' marks count here.";
        else if (!limits.TryRun(presser.Id)) answer = SlowDown;
        else
        {
            var channels = config!.Channels.Where(c => c.Chat == chat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)
                || chat.Username is { } name && c.Chat.Equals("@" + name, StringComparison.OrdinalIgnoreCase)).Select(c => c.Id).ToList();
            var delivery = query.Message is { } message ? await feedback.FindAsync(channels, message.MessageId, cancellationToken) : null;
            if (delivery is not { } found) answer = "I cannot find this alert among those sent; nothing was marked.";
            else if (found.Rules.Count == 0) answer = "No rule is recorded for this alert; nothing was marked.";
            else
            {
                var fresh = await feedback.MarkAsync(found.Name, found.Rules, editor, cancellationToken);
                answer = fresh ? $"Marked not relevant for {string.Join(", ", found.Rules)}. /rule {found.Rules[0]} shows its figures." : "This alert is marked already.";
                logger.LogInformation("{Editor} marked {Delivery} not relevant for {Rules}", editor.Name, found.Name, string.Join(",", found.Rules));
            }
        }
        await TryAsync(() => bot.AnswerButtonAsync(query.Id, answer, cancellationToken));
    }

    /// <summary>The editor, when <paramref name="from"/> is one writing where commands are taken; else says why not (once a minute at most).</summary>
    async Task<EditorDefinition?> WhoMayAsync(SyndicationConfig? config, User from, Chat chat, string text, CancellationToken cancellationToken)
    {
        var editor = config?.FindEditor(from.Id);
        if (editor is not null && CommandChat(config!, chat)) return editor;
        logger.LogInformation("A message from user {User} in chat {Chat} was refused: {Reason}", from.Id, chat.Id, editor is null ? "not an editor" : "not a chat commands are taken in");
        if (limits.TryWarn(from.Id) && (editor is not null || limits.TryAnswerStranger()))
            await AnswerAsync(chat.Id, new Reply(editor is null ? Stranger : WrongChat), null, cancellationToken);
        return null;
    }

    /// <summary>The bot's username; null when Telegram cannot say now (the command is then taken as the bot's).</summary>
    async Task<string?> UsernameAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await bot.UsernameAsync(cancellationToken);
        }
        catch (EditorBotException ex)
        {
            logger.LogWarning("Could not ask Telegram for the bot's name: {Error}", ex.Message);
            return null;
        }
    }

    /// <summary>Commands are taken in a private chat with the bot, and in the editors' own chat.</summary>
    static bool CommandChat(SyndicationConfig config, Chat chat) =>
        chat.Type == ChatType.Private
        || config.AlertsChat is { } alerts && (alerts == chat.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)
            || chat.Username is { } name && alerts.Equals("@" + name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A reply goes through the same pacing as alerts (the chat's limits, then the bot-wide turn).</summary>
    async Task AnswerAsync(long chat, Reply reply, int? replyTo, CancellationToken cancellationToken)
    {
        var key = chat.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await flood.WaitAsync(key, cancellationToken);
        try
        {
            await TryAsync(() => bot.SendAsync(chat, reply, replyTo, cancellationToken));
        }
        finally
        {
            flood.Finished(key);
        }
    }

    /// <summary>A reply Telegram refuses is logged, not retried: the command has been run, and running it again would repeat it.</summary>
    async Task TryAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (EditorBotException ex)
        {
            logger.LogWarning("Could not answer in Telegram: {Error}", ex.Message);
        }
    }
}
