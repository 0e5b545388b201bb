using System.Text.Json;
using Syndication.Storage;

namespace Syndication.Sweeps;

/// <summary>
/// One queued unit of feed work: whole state shards and their feeds, as the scheduler found them due. A batch owns its
/// shards, so the instance working it is the only writer of their state; working it again is harmless.
/// </summary>
/// <param name="ScheduledAt">When the scheduler queued it.</param>
public sealed record FeedBatch(DateTimeOffset ScheduledAt, IReadOnlyList<int> Shards, IReadOnlyList<string> Feeds);

/// <summary>A channel has alerts waiting: drain it. A channel another instance is draining is looked at again a little later.</summary>
/// <param name="Retries">How often it found the channel busy and was queued again.</param>
public sealed record ChannelWake(string ChannelId, int Retries = 0);

/// <summary>A message set aside in a poison queue: what it was, why it failed, after how many attempts.</summary>
public sealed record PoisonMessage(string Queue, string Message, string Reason, long Attempts, DateTimeOffset FailedAt);

/// <summary>A queue message that is not a work item this version understands; it is set aside at once, never retried.</summary>
public sealed class UnreadableMessageException(string queue, string reason, Exception? inner = null)
    : Exception($"a message on queue '{queue}' is not a work item: {reason}", inner);

/// <summary>The JSON the work items travel in.</summary>
public static class WorkMessages
{
    public static string Write<T>(T item) => JsonSerializer.Serialize(item, Compact);

    public static T Read<T>(string queue, string text) where T : class
    {
        try
        {
            var item = JsonSerializer.Deserialize<T>(text, Compact);
            return JsonShape.Problem(item) is { } problem ? throw new UnreadableMessageException(queue, problem) : item!;
        }
        catch (JsonException ex)
        {
            throw new UnreadableMessageException(queue, ex.Message.Split(" Path:")[0], ex);
        }
    }

    static readonly JsonSerializerOptions Compact = new(BlobJson.Options) { WriteIndented = false, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };
}
