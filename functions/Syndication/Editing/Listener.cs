using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Syndication.Storage;
using Syndication.Telegram;

namespace Syndication.Editing;

/// <summary>Telegram will not give updates by long polling while a webhook is set.</summary>
public sealed class WebhookActiveException(string message) : Exception(message);

/// <summary>
/// <c>syndication listen</c>: long-polls <c>getUpdates</c> and hands each update to the same <see cref="UpdateHandler"/>
/// the webhook uses, against the live configuration in storage. For a laptop with no public address.
/// </summary>
public sealed class Listener(EditorBot bot, StorageContainers containers, IServiceScopeFactory scopes, TimeProvider time, ILogger<Listener> logger)
{
    /// <summary>How long one getUpdates waits for an update before asking again.</summary>
    public int WaitSeconds { get; init; } = 25;

    /// <summary>
    /// Handles updates until <paramref name="cancellationToken"/> fires; returns how many it handled. What cannot heal by
    /// waiting stops it at once, as it stops a run: no token or a refused one (<see cref="TelegramTokenRefusedException"/>),
    /// storage that is not configured or not reachable at the start. Telegram out of reach, 5xx and 429 are waited out.
    /// </summary>
    /// <param name="listenFor">Stop after this long, counted once storage answered; null listens until cancelled.</param>
    public async Task<int> ListenAsync(TimeSpan? listenFor, CancellationToken cancellationToken)
    {
        // Storage is checked before the first update is taken from Telegram, which would otherwise come back again and again.
        await containers.EnsureCreatedAsync(cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (listenFor is { } span) stop.CancelAfter(span);
        return await ListenUntilAsync(stop.Token);
    }

    async Task<int> ListenUntilAsync(CancellationToken cancellationToken)
    {
        var offset = 0;
        var handled = 0;
        logger.LogInformation("Listening for editors' commands (getUpdates); stop with Ctrl+C");
        while (!cancellationToken.IsCancellationRequested)
        {
            global::Telegram.Bot.Types.Update[] updates;
            try
            {
                updates = await Refused(() => bot.GetUpdatesAsync(offset, WaitSeconds, cancellationToken));
            }
            catch (EditorBotException ex) when (ex.ErrorCode == 409)
            {
                throw new WebhookActiveException($"Telegram keeps this bot's updates for its webhook ({ex.Message}). Run 'syndication webhook delete' to listen here instead, and 'syndication webhook set URL' afterwards.");
            }
            catch (EditorBotException ex) when (ex.ErrorCode is null or >= 500 or 429)
            {
                logger.LogWarning("Could not get updates: {Error}; trying again in 5 s", ex.Message);
                await DelayAsync(TimeSpan.FromSeconds(5), cancellationToken);
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            foreach (var update in updates)
            {
                try
                {
                    using var scope = scopes.CreateScope();
                    if (await scope.ServiceProvider.GetRequiredService<UpdateHandler>().HandleAsync(update, cancellationToken)) handled++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Not confirmed to Telegram: it comes again with the next getUpdates, after a pause.
                    logger.LogWarning("Update {UpdateId} failed and will be tried again: {Error}", update.Id, ex.Message.Split('\n')[0]);
                    await DelayAsync(TimeSpan.FromSeconds(5), cancellationToken);
                    break;
                }
                offset = update.Id + 1;
            }
        }
        return handled;
    }

    /// <summary>A 401 is the token's fault, not a passing one: it reads as a run reads it.</summary>
    static async Task<T> Refused<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (EditorBotException ex) when (ex.ErrorCode == 401)
        {
            throw new TelegramTokenRefusedException($"{ex.ErrorCode} {ex.Description}");
        }
    }

    async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
