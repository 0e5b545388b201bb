using Azure;
using Syndication.Config;
using Syndication.Storage;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Delivery;

/// <summary>A channel Telegram refused for good, since when, and why.</summary>
public sealed record FailingChannel(string Reason, DateTimeOffset Since);

/// <summary>
/// Remembers which channels are failing (one blob, <c>feeds/_channels.json</c>; feed ids cannot start with '_'), and
/// tells the editors' chat once when a channel starts failing and once when it recovers, not on every run.
/// </summary>
public sealed class ChannelHealth(StorageContainers containers, CorruptBlobs corrupt, EditorAlerts editors, TimeProvider time)
{
    const string BlobName = "_channels.json";

    public async Task<IReadOnlyDictionary<string, FailingChannel>> GetAsync(CancellationToken cancellationToken) =>
        (await corrupt.ReadAsync<Dictionary<string, FailingChannel>>(containers.Feeds.GetBlobClient(BlobName), cancellationToken))?.Value ?? [];

    /// <summary>Folds one run's deliveries into the health record, and alerts the editors about each change.</summary>
    public async Task UpdateAsync(SyndicationConfig config, IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0) return; // nothing was tried, so no channel failed or recovered: not even a read
        var blob = containers.Feeds.GetBlobClient(BlobName);
        var stored = await corrupt.ReadAsync<Dictionary<string, FailingChannel>>(blob, cancellationToken);
        var failing = stored?.Value ?? [];
        var changes = new List<string>();

        foreach (var channel in outcomes.GroupBy(o => o.ChannelId))
        {
            var refused = channel.FirstOrDefault(o => o.ChatUnusable);
            var delivered = channel.Any(o => o.Status == DeliveryStatus.Sent);
            var chat = HtmlText.Escape(channel.First().Chat);
            if (refused is not null && !failing.ContainsKey(channel.Key))
            {
                failing[channel.Key] = new FailingChannel(refused.Error ?? "refused", time.GetUtcNow());
                changes.Add($"⚠️ Channel <b>{HtmlText.Escape(channel.Key)}</b> ({chat}) cannot receive alerts: {HtmlText.Escape(refused.Error ?? "")}. Its alerts go to dead letters until the chat or the bot's rights are fixed.");
            }
            else if (refused is null && delivered && failing.Remove(channel.Key))
            {
                changes.Add($"✅ Channel <b>{HtmlText.Escape(channel.Key)}</b> ({chat}) receives alerts again.");
            }
        }
        if (changes.Count == 0) return;

        try
        {
            await BlobJson.WriteAsync(blob, failing, stored?.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return; // another run recorded (and announced) the same change
        }
        await editors.SendAsync(config, changes, cancellationToken);
    }
}
