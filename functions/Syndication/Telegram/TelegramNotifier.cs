using Microsoft.Extensions.Options;
using Syndication.Config;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace Syndication.Telegram;

/// <summary>Sends alerts through the Bot API with the real <see cref="TelegramBotClient"/>.</summary>
public sealed class TelegramNotifier(IHttpClientFactory httpClientFactory, IOptions<TelegramOptions> options)
{
    /// <summary>How a flood-control answer's message starts, so a wait for it is told from a retry's backoff.</summary>
    public const string FloodControlPrefix = "Telegram answered 429";

    /// <summary>The named HttpClient, registered without request logging: the Bot API puts the token in every URL.</summary>
    public const string HttpClientName = "telegram";

    TelegramBotClient? client;

    /// <summary>Whether this process has seen Telegram accept the token (getMe): checked once, not before every run.</summary>
    static volatile string? verifiedToken;

    public bool IsConfigured => options.Value.HasToken;

    /// <summary>Fails before any work is done when sends are expected but no token is set.</summary>
    public void EnsureConfigured()
    {
        if (!IsConfigured)
            throw new OptionsValidationException(TelegramOptions.Section, typeof(TelegramOptions),
                ["Telegram__BotToken is not set; set it to the token from @BotFather, or run dry."]);
    }

    /// <summary>
    /// Asks Telegram who the bot is (<c>getMe</c>), once per process: a refused token (401) stops the run with
    /// <see cref="TelegramTokenRefusedException"/> before any alert is tried. When Telegram cannot be reached, the sends
    /// that follow say so, each alert staying queued.
    /// </summary>
    public async Task VerifyTokenAsync(CancellationToken cancellationToken)
    {
        EnsureConfigured();
        if (verifiedToken == options.Value.BotToken) return;
        var bot = client ??= CreateClient();
        try
        {
            await bot.GetMe(cancellationToken);
            verifiedToken = options.Value.BotToken;
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == 401)
        {
            throw new TelegramTokenRefusedException($"{ex.ErrorCode} {Redact(ex.Message)}");
        }
        catch (Exception ex) when (ex is ApiRequestException or RequestException or HttpRequestException
            || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Unreachable or failing: the sends will find out and keep each alert queued.
        }
    }

    /// <summary>
    /// Sends one HTML message with the channel's delivery options, and returns Telegram's <c>message_id</c>. With
    /// <paramref name="picture"/>, the link preview shows that picture, large and above the text (unless the channel turned
    /// previews off).
    /// </summary>
    public Task<int> SendAsync(string chat, string html, ChannelDefinition? channel, CancellationToken cancellationToken, string? picture = null, bool notRelevant = false) =>
        CallAsync(bot => bot.SendMessage(ParseChat(chat), html, ParseMode.Html,
            replyMarkup: Buttons(notRelevant, channel?.Language),
            linkPreviewOptions: PreviewOptions(channel?.LinkPreview, picture),
            messageThreadId: channel?.ThreadId,
            disableNotification: channel?.Silent ?? false,
            cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Sends <paramref name="picture"/> (a URL Telegram fetches) with the message as its caption (<c>sendPhoto</c>).</summary>
    public Task<int> SendPhotoAsync(string chat, string picture, string captionHtml, ChannelDefinition? channel, CancellationToken cancellationToken, bool notRelevant = false) =>
        CallAsync(bot => bot.SendPhoto(ParseChat(chat), InputFile.FromUri(picture), captionHtml, ParseMode.Html,
            replyMarkup: Buttons(notRelevant, channel?.Language),
            messageThreadId: channel?.ThreadId,
            disableNotification: channel?.Silent ?? false,
            cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Edits the caption of a picture sent earlier (<c>editMessageCaption</c>); "not modified" counts as done.</summary>
    public async Task<int> EditCaptionAsync(string chat, int messageId, string captionHtml, CancellationToken cancellationToken, bool notRelevant = false, string? language = null)
    {
        try
        {
            return await CallAsync(bot => bot.EditMessageCaption(ParseChat(chat), messageId, captionHtml, ParseMode.Html, replyMarkup: Buttons(notRelevant, language), cancellationToken: cancellationToken), cancellationToken);
        }
        catch (TelegramSendException ex) when (ex.ErrorCode == 400 && ex.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            return messageId;
        }
    }

    /// <summary>
    /// Whether Telegram refused a picture itself (it could not fetch or read it), so the alert can go as text instead:
    /// the Bot API's "wrong file identifier/HTTP URL specified", "failed to get HTTP URL content", "wrong type of the
    /// web page content", IMAGE_PROCESS_FAILED, PHOTO_INVALID_DIMENSIONS and their kin.
    /// </summary>
    public static bool RefusedPicture(TelegramSendException ex) => ex.ErrorCode == 400 && PictureRefusals.Any(r => ex.Message.Contains(r, StringComparison.OrdinalIgnoreCase));

    static readonly string[] PictureRefusals =
    [
        "wrong file identifier", "failed to get HTTP URL content", "wrong type of the web page content", "IMAGE_PROCESS_FAILED",
        "PHOTO_INVALID_DIMENSIONS", "PHOTO_SAVE_FILE_INVALID", "PHOTO_INVALID", "wrong remote file identifier", "WEBPAGE_CURL_FAILED", "WEBPAGE_MEDIA_EMPTY",
    ];

    /// <summary>
    /// Edits a message sent earlier to <paramref name="html"/> (<c>editMessageText</c>). Telegram's "message is not
    /// modified" counts as done: the message already reads that way.
    /// </summary>
    public async Task<int> EditAsync(string chat, int messageId, string html, ChannelDefinition? channel, CancellationToken cancellationToken, bool notRelevant = false)
    {
        try
        {
            // An edit without the keyboard would take the button away: it is sent again with the text.
            return await CallAsync(bot => bot.EditMessageText(ParseChat(chat), messageId, html, ParseMode.Html,
                linkPreviewOptions: PreviewOptions(channel?.LinkPreview), replyMarkup: Buttons(notRelevant, channel?.Language), cancellationToken: cancellationToken), cancellationToken);
        }
        catch (TelegramSendException ex) when (ex.ErrorCode == 400 && ex.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            return messageId;
        }
    }

    async Task<int> CallAsync(Func<TelegramBotClient, Task<Message>> call, CancellationToken cancellationToken)
    {
        var bot = client ??= CreateClient();
        try
        {
            return (await call(bot)).MessageId;
        }
        catch (ApiRequestException ex)
        {
            var migrateTo = ex.Parameters?.MigrateToChatId;
            throw new TelegramSendException($"Telegram answered {ex.ErrorCode}: {Redact(ex.Message)}", ex.ErrorCode,
                TelegramSendException.Classify(ex.ErrorCode, ex.Message, migrateTo is not null))
            {
                RetryAfter = ex.Parameters?.RetryAfter is int seconds ? TimeSpan.FromSeconds(seconds) : null,
                MigrateToChatId = migrateTo,
            };
        }
        catch (RequestException ex) when (ex.InnerException is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TelegramSendException($"Telegram did not answer within {options.Value.TimeoutSeconds} s", null, SendFailure.Transient) { Uncertain = true };
        }
        catch (RequestException ex)
        {
            throw new TelegramSendException($"Telegram could not be reached: {Redact(Innermost(ex).Message)}", null, SendFailure.Transient) { Uncertain = MayHaveArrived(ex) };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TelegramSendException($"Telegram did not answer within {options.Value.TimeoutSeconds} s", null, SendFailure.Transient) { Uncertain = true };
        }
        catch (HttpRequestException ex)
        {
            throw new TelegramSendException($"Telegram could not be reached: {Redact(ex.Message)}", null, SendFailure.Transient) { Uncertain = MayHaveArrived(ex) };
        }
    }

    TelegramBotClient CreateClient()
    {
        EnsureConfigured();
        return CreateClient(httpClientFactory, options.Value, TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
    }

    /// <summary>
    /// The Bot API client with the configured token and server, on the named HttpClient that logs no request (the token is
    /// in every path). Shared by alerts and the editors' conversation, which only wait differently.
    /// </summary>
    internal static TelegramBotClient CreateClient(IHttpClientFactory httpClientFactory, TelegramOptions settings, TimeSpan timeout)
    {
        var http = httpClientFactory.CreateClient(HttpClientName);
        http.Timeout = timeout;
        return new TelegramBotClient(new TelegramBotClientOptions(settings.BotToken!, string.IsNullOrWhiteSpace(settings.ApiBaseUrl) ? null : settings.ApiBaseUrl)
        {
            // No silent sleeping: a 429 fails the call, and its caller decides (an alert waits in the outbox for a later run).
            RetryThreshold = 0,
        }, http);
    }

    /// <summary>https://core.telegram.org/bots/api#linkpreviewoptions</summary>
    /// <summary>The channel's link preview; with <paramref name="picture"/>, a large preview of it above the text, unless previews are off.</summary>
    static LinkPreviewOptions? PreviewOptions(LinkPreview? preview, string? picture = null) => preview switch
    {
        LinkPreview.Off => new LinkPreviewOptions { IsDisabled = true },
        _ when picture is not null => new LinkPreviewOptions { Url = picture, PreferLargeMedia = true, ShowAboveText = true },
        LinkPreview.Small => new LinkPreviewOptions { PreferSmallMedia = true },
        LinkPreview.Large => new LinkPreviewOptions { PreferLargeMedia = true },
        LinkPreview.Above => new LinkPreviewOptions { ShowAboveText = true },
        _ => null,
    };

    /// <summary>What an editor presses under an alert to say it should not have been sent (<see cref="NotRelevantCommand"/>).</summary>
    public const string NotRelevantCommand = "/notrelevant";

    static InlineKeyboardMarkup? Buttons(bool notRelevant, string? language) =>
        notRelevant ? new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData(MessageLabels.For(language).NotRelevant, NotRelevantCommand)) : null;

    /// <summary><c>"@name"</c> stays a username; anything numeric is a chat id.</summary>
    public static ChatId ParseChat(string chat) =>
        long.TryParse(chat, out var id) ? new ChatId(id) : new ChatId(chat);

    /// <summary>
    /// Only a failure to connect proves the request never left; a timeout or a connection dropped mid-answer may come after
    /// Telegram accepted the message.
    /// </summary>
    static bool MayHaveArrived(Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
            if (inner is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NetworkUnreachable or System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.TryAgain })
                return false;
        return true;
    }

    string Redact(string text) => options.Value.Redact(text);

    static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex;
    }
}
