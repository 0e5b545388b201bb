namespace Syndication.Functions;

/// <summary>How a run the Functions host cancels (a scale-in, a shutdown, a timeout) is reported back to it.</summary>
static class HostCancellation
{
    /// <summary>
    /// Runs <paramref name="run"/>; when the host cancels it, rethrows the cancellation wrapped once, which is how the
    /// isolated worker tells the host "cancelled" rather than "failed". Nothing is lost: alerts not yet sent stay queued.
    /// </summary>
    public static async Task RunAsync(Func<Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await run();
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The host cancelled this run; every alert not yet sent stays queued for the next one", ex, cancellationToken);
        }
    }
}
