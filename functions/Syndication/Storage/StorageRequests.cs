using Azure.Core;
using Azure.Core.Pipeline;

namespace Syndication.Storage;

/// <summary>
/// Storage requests by the operation class Azure bills them in, and how many of them went to the queues (which are billed
/// on their own, cheaper, lines: every queue operation is counted in its blob class too).
/// </summary>
public readonly record struct StorageRequestCounts(long Writes, long Lists, long Reads, long Other, long Deletes, long Queue = 0)
{
    public long Total => Writes + Lists + Reads + Other + Deletes;

    public static StorageRequestCounts operator +(StorageRequestCounts a, StorageRequestCounts b) =>
        new(a.Writes + b.Writes, a.Lists + b.Lists, a.Reads + b.Reads, a.Other + b.Other, a.Deletes + b.Deletes, a.Queue + b.Queue);

    public static StorageRequestCounts operator -(StorageRequestCounts a, StorageRequestCounts b) =>
        new(a.Writes - b.Writes, a.Lists - b.Lists, a.Reads - b.Reads, a.Other - b.Other, a.Deletes - b.Deletes, a.Queue - b.Queue);

    public override string ToString() =>
        $"{Total} storage requests ({Writes} writes, {Lists} lists, {Reads} reads, {Other} other, {Deletes} deletes{(Queue > 0 ? $"; {Queue} of them on queues" : "")})";
}

/// <summary>
/// An Azure SDK pipeline policy that counts every request sent to blob storage, retries included, because each one is
/// billed. Classes follow the Blob Storage price sheet: uploads are writes; listing and creating containers are
/// "list and create container" operations; downloads are reads; leases and property reads are "all other operations";
/// deletes are free.
/// </summary>
public sealed class StorageRequests : HttpPipelineSynchronousPolicy
{
    long writes, lists, reads, other, deletes, queue;

    public StorageRequestCounts Snapshot => new(
        Interlocked.Read(ref writes), Interlocked.Read(ref lists), Interlocked.Read(ref reads), Interlocked.Read(ref other), Interlocked.Read(ref deletes), Interlocked.Read(ref queue));

    /// <summary>The same count for the queue client, which also tells its requests apart.</summary>
    public HttpPipelinePolicy ForQueues => forQueues ??= new QueuePolicy(this);

    HttpPipelinePolicy? forQueues;

    sealed class QueuePolicy(StorageRequests counts) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            Interlocked.Increment(ref counts.queue);
            counts.OnSendingRequest(message);
        }
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var query = request.Uri.Query;
        var comp = Query(query, "comp");
        var restype = Query(query, "restype");
        var method = request.Method;
        if (comp == "list" || restype == "container" && comp is null && method == RequestMethod.Put)
            Interlocked.Increment(ref lists);
        else if (method == RequestMethod.Delete)
            Interlocked.Increment(ref deletes);
        else if (method == RequestMethod.Put && comp is null or "block" or "blocklist" or "appendblock" or "copy" or "tier")
            Interlocked.Increment(ref writes);
        else if (method == RequestMethod.Get && comp is null)
            Interlocked.Increment(ref reads);
        else
            Interlocked.Increment(ref other);
    }

    static string? Query(string query, string name)
    {
        foreach (var part in query.TrimStart('?').Split('&'))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part.AsSpan(0, eq).Equals(name, StringComparison.OrdinalIgnoreCase)) return part[(eq + 1)..];
        }
        return null;
    }
}
