using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Syndication.Primitives;
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
        var chains = new Dictionary<long, Task>();
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
            // Each chat's updates in order, chats at once: one editor's slow /preview holds up no one else's /rules.
            // Telegram is told an update was received (the next offset) once it is queued here; one that fails is tried again here.
            foreach (var update in updates)
            {
                offset = update.Id + 1;
                var chat = update.Message?.Chat.Id ?? update.CallbackQuery?.Message?.Chat.Id ?? update.CallbackQuery?.From.Id ?? 0;
                var tail = chains.GetValueOrDefault(chat) ?? Task.CompletedTask;
                chains[chat] = HandleAfterAsync(tail, update, () => Interlocked.Increment(ref handled), cancellationToken);
            }
            foreach (var done in chains.Where(c => c.Value.IsCompleted).Select(c => c.Key).ToList()) chains.Remove(done);
        }
        await Task.WhenAll(chains.Values);
        return handled;
    }

    /// <summary>Updates handled at once, across chats.</summary>
    const int AtOnce = 8;
    readonly SemaphoreSlim slots = new(AtOnce);

    /// <summary>How often an update that failed (storage out of reach) is tried again, 5 s apart, before it is given up and logged.</summary>
    const int Attempts = 5;

    /// <summary>
    /// Handles <paramref name="update"/> after its chat's previous update is done. None starts once listening stops, and
    /// one that has started is finished: its answer and its record that it was handled go together.
    /// </summary>
    async Task HandleAfterAsync(Task previous, global::Telegram.Bot.Types.Update update, Action counted, CancellationToken cancellationToken)
    {
        await previous;
        await slots.WaitAsync(CancellationToken.None);
        try
        {
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                if (cancellationToken.IsCancellationRequested) return;
                try
                {
                    using var scope = scopes.CreateScope();
                    if (await scope.ServiceProvider.GetRequiredService<UpdateHandler>().HandleAsync(update, CancellationToken.None)) counted();
                    return;
                }
                catch (Exception ex) when (attempt < Attempts)
                {
                    logger.LogWarning("Update {UpdateId} failed and will be tried again in 5 s: {Error}", update.Id, ex.FirstLine());
                    await DelayAsync(TimeSpan.FromSeconds(5), cancellationToken);
                }
                catch (Exception ex)
                {
                    logger.LogError("Update {UpdateId} failed {Attempts} times and was given up: {Error}", update.Id, Attempts, ex.FirstLine());
                }
            }
        }
        finally
        {
            slots.Release();
        }
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
