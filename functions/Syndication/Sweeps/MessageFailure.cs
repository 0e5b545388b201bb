using Syndication.Primitives;
using Syndication.Storage;

namespace Syndication.Sweeps;

/// <summary>
/// What a failed queue message comes to, as the Functions host decides it: a message no version could read is set aside at
/// once; any other failure is tried again, and set aside on its last attempt (<see cref="WorkQueues.MaxDequeueCount"/>)
/// with its reason; a cancelled run is never a failure of the message. Pure.
/// </summary>
public static class MessageFailure
{
    /// <summary>The reason to set the message aside with, or null to let it be tried again (or the run end).</summary>
    public static string? SetAsideFor(Exception failure, long dequeueCount) => failure switch
    {
        UnreadableMessageException unreadable => unreadable.Message,
        OperationCanceledException => null,
        _ when dequeueCount >= WorkQueues.MaxDequeueCount => $"{failure.GetType().Name}: {failure.FirstLine()}",
        _ => null,
    };
}
