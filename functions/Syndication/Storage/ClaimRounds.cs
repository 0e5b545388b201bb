namespace Syndication.Storage;

/// <summary>
/// Claims on one shared blob made at the same moment in one process, served together: while one read and write of the
/// blob is under way, the claims that come wait, and the next round serves all of them with one read and one write, in
/// the order they came, exactly as if each had claimed alone in turn. Claiming alone, 16 feeds at once each read and
/// wrote the whole blob, and most of their writes lost the race and were made again.
/// </summary>
/// <param name="serve">Serves one round of claims on the blob named by the key: one result per claim, in order.</param>
public sealed class ClaimRounds<TClaim, TResult>(Func<string, IReadOnlyList<TClaim>, Task<IReadOnlyList<TResult>>> serve)
{
    sealed record Claim(TClaim Value, TaskCompletionSource<TResult> Done);

    /// <summary>The claims waiting for a blob's next round, and whether a round is under way.</summary>
    sealed class Rounds
    {
        public readonly Lock Gate = new();
        public List<Claim> Waiting = [];
        public bool Running;
    }

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, Rounds> rounds = new(StringComparer.Ordinal);

    /// <summary>Joins the blob's next round and returns what it found for this claim.</summary>
    public async Task<TResult> JoinAsync(string key, TClaim value, CancellationToken cancellationToken)
    {
        var claim = new Claim(value, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        var blob = rounds.GetOrAdd(key, _ => new Rounds());
        bool start;
        lock (blob.Gate)
        {
            blob.Waiting.Add(claim);
            start = !blob.Running;
            blob.Running = true;
        }
        // A round serves every claim waiting in it, so no one caller's cancellation stops it; a caller that stops waiting
        // may still have its claim served, as when a run is cut short after claiming.
        if (start) _ = Task.Run(() => RunAsync(key, blob), CancellationToken.None);
        return await claim.Done.Task.WaitAsync(cancellationToken);
    }

    async Task RunAsync(string key, Rounds blob)
    {
        while (true)
        {
            List<Claim> round;
            lock (blob.Gate)
            {
                if (blob.Waiting.Count == 0)
                {
                    blob.Running = false;
                    return;
                }
                (round, blob.Waiting) = (blob.Waiting, []);
            }
            try
            {
                var results = await serve(key, [.. round.Select(c => c.Value)]);
                for (var i = 0; i < round.Count; i++) round[i].Done.TrySetResult(results[i]);
            }
            catch (Exception ex)
            {
                foreach (var claim in round) claim.Done.TrySetException(ex);
            }
        }
    }
}
