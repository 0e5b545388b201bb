using Azure.Storage.Blobs;
using Syndication.Storage;
using Syndication.Watches;

namespace Syndication.Benchmarks;

/// <summary>
/// Stores PEOPLE subscribers who each watch one word, as the subscribers' index a sweep reads, for the people benchmark
/// (scripts/bench/people.sh). Their private chats are 100000, 100001, …
/// </summary>
static class SeedPeople
{
    public static async Task RunAsync(string connection, int people, string word, string feed)
    {
        var feeds = new BlobServiceClient(connection).GetBlobContainerClient("feeds");
        await feeds.CreateIfNotExistsAsync();
        var joined = DateTimeOffset.UtcNow;
        var index = new WatchIndex([.. Enumerable.Range(0, people).Select(i => new Subscriber(100_000 + i, "en", [new Watch($"{word} feed:{feed}", [word], [], [feed])], joined))]);
        await BlobJson.WriteAsync(feeds.GetBlobClient("subscribers/_index.json"), index, ifMatch: null, CancellationToken.None);
        Console.WriteLine($"stored {people} people watching '{word}' in feed {feed}");
    }
}
