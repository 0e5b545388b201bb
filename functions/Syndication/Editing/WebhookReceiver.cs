using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Primitives;
using Syndication.Storage;
using Syndication.Telegram;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Syndication.Editing;

/// <summary>
/// What the <c>TelegramWebhook</c> function does with a request, apart from HTTP plumbing: it answers only Telegram (the
/// secret header, compared in constant time), refuses bodies over 1 MB, and hands the update to <see cref="UpdateHandler"/>.
/// A storage failure answers 500, so Telegram sends the update again later; anything Telegram should not retry answers 2xx
/// or 4xx.
/// </summary>
public sealed class WebhookReceiver(UpdateHandler handler, IOptions<TelegramOptions> options, ILogger<WebhookReceiver> logger)
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const int MaxBody = 1024 * 1024;

    public async Task<(int Status, string Body)> ReceiveAsync(string? secret, long? contentLength, Stream body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.WebhookSecret))
        {
            logger.LogError("A webhook request was refused: Telegram__WebhookSecret is not set, so no request can be told to come from Telegram");
            return (401, "unauthorized");
        }
        if (!SameSecret(secret, options.Value.WebhookSecret))
        {
            logger.LogWarning("A webhook request without the right {Header} was refused", SecretHeader);
            return (401, "unauthorized");
        }
        if (contentLength > MaxBody) return TooLarge(contentLength.Value);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody) return TooLarge(buffer.Length);
        }

        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(buffer.ToArray(), JsonBotAPI.Options);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("A webhook request was not an update: {Error}", ex.FirstLine());
            return (400, "not a Telegram update");
        }
        if (update is null) return (400, "not a Telegram update");
        try
        {
            await handler.HandleAsync(update, cancellationToken);
            return (200, "");
        }
        catch (Exception ex) when (ex is RequestFailedException or StorageUnavailableException or AggregateException)
        {
            logger.LogWarning("Update {UpdateId} could not be handled, Telegram will send it again: {Error}", update.Id, ex.FirstLine());
            return (500, "storage unavailable; send it again");
        }
    }

    (int, string) TooLarge(long length)
    {
        logger.LogWarning("A webhook request of {Length} bytes was refused (at most {Max})", length, MaxBody);
        return (413, "too large");
    }

    /// <summary>Compares hashes of both, so the time taken says nothing about the secret, not even its length.</summary>
    static bool SameSecret(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
