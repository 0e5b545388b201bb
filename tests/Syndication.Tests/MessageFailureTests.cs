namespace Syndication.Tests;

/// <summary>What a failed queue message comes to, as a table. No I/O.</summary>
public sealed class MessageFailureTests
{
    [Theory]
    [InlineData("unreadable", 1, "a message on queue 'q' is not a work item: bad")]
    [InlineData("unreadable", 5, "a message on queue 'q' is not a work item: bad")]
    [InlineData("storage", 1, null)]  // tried again
    [InlineData("storage", 4, null)]
    [InlineData("storage", 5, "InvalidOperationException: storage down")] // its last attempt: set aside with the reason
    [InlineData("cancelled", 5, null)] // a run that stopped is not the message's fault
    public void A_failed_message_is_tried_again_until_its_last_attempt_and_an_unreadable_one_is_set_aside_at_once(string failure, long attempt, string? reason)
    {
        Exception ex = failure switch
        {
            "unreadable" => new Syndication.Sweeps.UnreadableMessageException("q", "bad"),
            "cancelled" => new OperationCanceledException(),
            _ => new InvalidOperationException("storage down\nat line 2"),
        };
        Assert.Equal(reason, Syndication.Sweeps.MessageFailure.SetAsideFor(ex, attempt));
    }
}
