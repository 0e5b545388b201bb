using System.Text;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Syndication.Telegram;

/// <summary>A Bot API call for the editors' conversation failed; the message never holds the token.</summary>
public sealed class EditorBotException(string message, int? errorCode, string? description = null) : Exception(message)
{
    public int? ErrorCode { get; } = errorCode;

    /// <summary>Telegram's own words for the error, without the token, when it answered.</summary>
    public string? Description { get; } = description;
}

/// <summary>
/// The bot's side of the editors' conversation: replies with buttons, answers to button presses, long polling for
/// updates, and the webhook's registration. The same real Telegram.Bot client as alerts, on its own HttpClient whose
/// timeout leaves room for a long poll.
/// </summary>
public sealed class EditorBot(IHttpClientFactory httpClientFactory, IOptions<TelegramOptions> options)
{
    /// <summary>The update types the commands use; Telegram sends no others.</summary>
    public static readonly UpdateType[] UpdateTypes = [UpdateType.Message, UpdateType.CallbackQuery];

    /// <summary>Telegram's limit for a button's callback data, in bytes.</summary>
    const int MaxCallbackData = 64;

    TelegramBotClient? client;

    TelegramBotClient Client => client ??= Create();

    TelegramBotClient Create()
    {
        var settings = options.Value;
        if (!settings.HasToken)
            throw new OptionsValidationException(TelegramOptions.Section, typeof(TelegramOptions), ["Telegram__BotToken is not set; the editors' bot needs the token from @BotFather."]);
        return TelegramNotifier.CreateClient(httpClientFactory, settings, TimeSpan.FromSeconds(90)); // a long poll holds a request for up to 50 s
    }

    string? username;

    /// <summary>The bot's own username (<c>getMe</c>, asked once), to tell commands for it from commands for other bots in a group.</summary>
    public async Task<string> UsernameAsync(CancellationToken cancellationToken) =>
        username ??= (await CallAsync(bot => bot.GetMe(cancellationToken))).Username ?? "";

    /// <summary>Sends a reply (as an answer to <paramref name="replyTo"/> when given), with its buttons; a reply with a document goes as that document.</summary>
    public Task SendAsync(long chat, Reply reply, int? replyTo, CancellationToken cancellationToken) =>
        reply.Document is { } document
            ? CallAsync(bot => bot.SendDocument(chat, InputFile.FromStream(new MemoryStream(document.Content), document.FileName), reply.Html, ParseMode.Html,
                replyParameters: replyTo is { } id ? new ReplyParameters { MessageId = id, AllowSendingWithoutReply = true } : null,
                cancellationToken: cancellationToken))
            : CallAsync(bot => bot.SendMessage(chat, reply.Html, ParseMode.Html,
            replyParameters: replyTo is { } id ? new ReplyParameters { MessageId = id, AllowSendingWithoutReply = true } : null,
            replyMarkup: Keyboard(reply),
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true },
            cancellationToken: cancellationToken));

    /// <summary>
    /// A file someone sent (a document's <paramref name="fileId"/>), downloaded through the Bot API (<c>getFile</c>, then
    /// the file's address); one larger than <paramref name="maxBytes"/> is refused before it is downloaded.
    /// </summary>
    public async Task<byte[]> DownloadAsync(string fileId, long maxBytes, CancellationToken cancellationToken)
    {
        var file = await CallAsync(bot => bot.GetFile(fileId, cancellationToken));
        if (file.FileSize > maxBytes || file.FilePath is null)
            throw new EditorBotException(file.FilePath is null ? "Telegram gave no path for the file" : $"the file is {file.FileSize:N0} bytes, over {maxBytes:N0}", null);
        using var content = new MemoryStream();
        await CallAsync(bot => bot.DownloadFile(file.FilePath, content, cancellationToken));
        return content.ToArray();
    }

    /// <summary>Stops the spinner on a pressed button, with a short notice when <paramref name="text"/> is given.</summary>
    public Task AnswerButtonAsync(string callbackQueryId, string? text, CancellationToken cancellationToken) =>
        CallAsync(bot => bot.AnswerCallbackQuery(callbackQueryId, text, cancellationToken: cancellationToken));

    /// <summary>Updates after <paramref name="offset"/>, waiting up to <paramref name="waitSeconds"/> for one (long polling).</summary>
    public Task<Update[]> GetUpdatesAsync(int offset, int waitSeconds, CancellationToken cancellationToken) =>
        CallAsync(bot => bot.GetUpdates(offset, 100, waitSeconds, UpdateTypes, cancellationToken));

    /// <summary>Registers <paramref name="url"/> as the webhook, with the secret Telegram must send and the update types used.</summary>
    public Task SetWebhookAsync(string url, string secret, CancellationToken cancellationToken) =>
        CallAsync(bot => bot.SetWebhook(url, allowedUpdates: UpdateTypes, secretToken: secret, cancellationToken: cancellationToken));

    /// <summary>
    /// Makes the bot's menu button (beside the message field, in every private chat) open the editors' page as a Mini App
    /// (Bot API <c>setChatMenuButton</c> with a <c>web_app</c> button). Telegram opens only https addresses.
    /// </summary>
    public Task SetPageButtonAsync(string url, CancellationToken cancellationToken) =>
        CallAsync(bot => bot.SetChatMenuButton(menuButton: new MenuButtonWebApp { Text = PageButtonText, WebApp = new WebAppInfo { Url = url } }, cancellationToken: cancellationToken));

    public const string PageButtonText = "Editors' page";

    public Task<WebhookInfo> GetWebhookInfoAsync(CancellationToken cancellationToken) =>
        CallAsync(bot => bot.GetWebhookInfo(cancellationToken));

    public Task DeleteWebhookAsync(CancellationToken cancellationToken) =>
        CallAsync(bot => bot.DeleteWebhook(cancellationToken: cancellationToken));

    static InlineKeyboardMarkup? Keyboard(Reply reply)
    {
        var rows = (reply.Buttons ?? [])
            .Select(row => row.Where(b => Encoding.UTF8.GetByteCount(b.Command) <= MaxCallbackData).Select(b => InlineKeyboardButton.WithCallbackData(b.Text, b.Command)).ToList())
            .Where(row => row.Count > 0).ToList();
        return rows.Count == 0 ? null : new InlineKeyboardMarkup(rows);
    }

    async Task CallAsync(Func<TelegramBotClient, Task> call) => await CallAsync(async bot => { await call(bot); return true; });

    async Task<T> CallAsync<T>(Func<TelegramBotClient, Task<T>> call)
    {
        try
        {
            return await call(Client);
        }
        catch (ApiRequestException ex)
        {
            throw new EditorBotException($"Telegram answered {ex.ErrorCode}: {Redact(ex.Message)}", ex.ErrorCode, Redact(ex.Message));
        }
        catch (RequestException ex)
        {
            throw new EditorBotException($"Telegram could not be reached: {Redact((ex.InnerException ?? ex).Message)}", null);
        }
    }

    string Redact(string text) => options.Value.Redact(text);
}
