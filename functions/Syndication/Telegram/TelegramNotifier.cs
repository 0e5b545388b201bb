using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Syndication.Telegram;

/// <summary>Sends alerts through the Bot API with the real <see cref="TelegramBotClient"/>.</summary>
public sealed partial class TelegramNotifier(IHttpClientFactory httpClientFactory, IOptions<TelegramOptions> options)
{
    /// <summary>The named HttpClient, registered without request logging: the Bot API puts the token in every URL.</summary>
    public const string HttpClientName = "telegram";

    TelegramBotClient? client;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.BotToken);

    /// <summary>Sends one HTML message and returns Telegram's <c>message_id</c>.</summary>
    public async Task<int> SendAsync(string chat, string html, CancellationToken cancellationToken)
    {
        var bot = client ??= CreateClient();
        try
        {
            var message = await bot.SendMessage(ParseChat(chat), html, ParseMode.Html, cancellationToken: cancellationToken);
            return message.MessageId;
        }
        catch (ApiRequestException ex)
        {
            throw new TelegramSendException($"Telegram answered {ex.ErrorCode}: {Redact(ex.Message)}", ex.ErrorCode, networkFailure: false);
        }
        catch (RequestException ex)
        {
            throw new TelegramSendException($"Telegram could not be reached: {Redact(Innermost(ex).Message)}", null, networkFailure: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TelegramSendException($"Telegram did not answer within {options.Value.TimeoutSeconds} s", null, networkFailure: true);
        }
        catch (HttpRequestException ex)
        {
            throw new TelegramSendException($"Telegram could not be reached: {Redact(ex.Message)}", null, networkFailure: true);
        }
    }

    TelegramBotClient CreateClient()
    {
        var settings = options.Value;
        if (!IsConfigured)
            throw new InvalidOperationException("Telegram__BotToken is not set; set it, or run dry.");
        if (!TokenShape().IsMatch(settings.BotToken!))
            throw new InvalidOperationException("Telegram__BotToken does not look like a bot token (digits, a colon, then letters, digits, '-' or '_'); check the value from @BotFather.");

        var http = httpClientFactory.CreateClient(HttpClientName);
        http.Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
        return new TelegramBotClient(new TelegramBotClientOptions(settings.BotToken!, string.IsNullOrWhiteSpace(settings.ApiBaseUrl) ? null : settings.ApiBaseUrl)
        {
            // No silent sleeping inside a timer run: a 429 fails the send, and the alert waits in the outbox for a later sweep.
            RetryThreshold = 0,
        }, http);
    }

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

    [GeneratedRegex(@"^[0-9]+:[A-Za-z0-9_-]+$")]
    private static partial Regex TokenShape();
}
