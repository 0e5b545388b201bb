using Microsoft.Extensions.Options;
using Syndication.Config;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Syndication.Telegram;

/// <summary>Sends alerts through the Bot API with the real <see cref="TelegramBotClient"/>.</summary>
public sealed class TelegramNotifier(IHttpClientFactory httpClientFactory, IOptions<TelegramOptions> options)
{
    /// <summary>The named HttpClient, registered without request logging: the Bot API puts the token in every URL.</summary>
    public const string HttpClientName = "telegram";

    TelegramBotClient? client;

    public bool IsConfigured => options.Value.HasToken;

    /// <summary>Fails before any work is done when sends are expected but no token is set.</summary>
    public void EnsureConfigured()
    {
        if (!IsConfigured)
            throw new OptionsValidationException(TelegramOptions.Section, typeof(TelegramOptions),
                ["Telegram__BotToken is not set; set it to the token from @BotFather, or run dry."]);
    }

    /// <summary>Sends one HTML message with the channel's delivery options, and returns Telegram's <c>message_id</c>.</summary>
    public Task<int> SendAsync(string chat, string html, ChannelDefinition? channel, CancellationToken cancellationToken) =>
        CallAsync(bot => bot.SendMessage(ParseChat(chat), html, ParseMode.Html,
            linkPreviewOptions: PreviewOptions(channel?.LinkPreview),
            messageThreadId: channel?.ThreadId,
            disableNotification: channel?.Silent ?? false,
            cancellationToken: cancellationToken), cancellationToken);

    /// <summary>
    /// Edits a message sent earlier to <paramref name="html"/> (<c>editMessageText</c>). Telegram's "message is not
    /// modified" counts as done: the message already reads that way.
    /// </summary>
    public async Task<int> EditAsync(string chat, int messageId, string html, ChannelDefinition? channel, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(bot => bot.EditMessageText(ParseChat(chat), messageId, html, ParseMode.Html,
                linkPreviewOptions: PreviewOptions(channel?.LinkPreview), cancellationToken: cancellationToken), cancellationToken);
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
        catch (RequestException ex)
        {
            throw new TelegramSendException($"Telegram could not be reached: {Redact(Innermost(ex).Message)}", null, SendFailure.Transient);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TelegramSendException($"Telegram did not answer within {options.Value.TimeoutSeconds} s", null, SendFailure.Transient);
        }
        catch (HttpRequestException ex)
        {
            throw new TelegramSendException($"Telegram could not be reached: {Redact(ex.Message)}", null, SendFailure.Transient);
        }
    }

    TelegramBotClient CreateClient()
    {
        EnsureConfigured();
        var settings = options.Value;
        var http = httpClientFactory.CreateClient(HttpClientName);
        http.Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        return new TelegramBotClient(new TelegramBotClientOptions(settings.BotToken!, string.IsNullOrWhiteSpace(settings.ApiBaseUrl) ? null : settings.ApiBaseUrl)
        {
            // No silent sleeping inside a timer run: a 429 fails the send, and the alert waits in the outbox for a later sweep.
            RetryThreshold = 0,
        }, http);
    }

    /// <summary>https://core.telegram.org/bots/api#linkpreviewoptions</summary>
    static LinkPreviewOptions? PreviewOptions(LinkPreview? preview) => preview switch
    {
        LinkPreview.Off => new LinkPreviewOptions { IsDisabled = true },
        LinkPreview.Small => new LinkPreviewOptions { PreferSmallMedia = true },
        LinkPreview.Large => new LinkPreviewOptions { PreferLargeMedia = true },
        LinkPreview.Above => new LinkPreviewOptions { ShowAboveText = true },
        _ => null,
    };

    /// <summary><c>"@name"</c> stays a username; anything numeric is a chat id.</summary>
    public static ChatId ParseChat(string chat) =>
        long.TryParse(chat, out var id) ? new ChatId(id) : new ChatId(chat);

    string Redact(string text) =>
        IsConfigured ? text.Replace(options.Value.BotToken!, "***", StringComparison.Ordinal) : text;

    static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex;
    }
}
