using Azure.Storage.Queues;
using Azure.Storage.Queues.Specialized;
using Microsoft.Extensions.Logging;

namespace Syndication.Sweeps;

/// <summary>
/// A queue message that is not base64 (written by hand, or by a tool that does not encode) cannot even be read as text.
/// The queue client calls this instead of failing the whole receive: the message is set aside in the queue's poison queue
/// with its reason, as the Functions host does, and taken off the work queue, so one such message never holds up the rest.
/// </summary>
public sealed partial class UndecodableMessages(TimeProvider time, ILogger<UndecodableMessages> logger)
{
    public async Task HandleAsync(QueueMessageDecodingFailedEventArgs args)
    {
        // A peek (status reading the poison queue) changes nothing; a received message has a pop receipt and is moved.
        if (args.ReceivedMessage is not { } message) return;
        var queue = args.Queue;
        var poison = queue.GetParentQueueServiceClient().GetQueueClient(queue.Name + "-poison");
        var raw = message.Body.ToString();
        var reason = $"a message on queue '{queue.Name}' is not base64, so it cannot be read as a work item";
        var record = WorkMessages.Write(new PoisonMessage(queue.Name, raw.Length > 4000 ? raw[..4000] : raw, reason, message.DequeueCount, time.GetUtcNow()));
        await poison.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken);
        await poison.SendMessageAsync(record, timeToLive: TimeSpan.FromDays(7), cancellationToken: args.CancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken);
        LogSetAside(queue.Name, poison.Name);
    }

    [LoggerMessage(LogLevel.Error, "A message on queue {Queue} is not base64 and was set aside in {Poison}; the other messages go on")]
    partial void LogSetAside(string queue, string poison);
}
