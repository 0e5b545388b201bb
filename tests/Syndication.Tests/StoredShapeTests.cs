using System.Text.Json;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Watches;

namespace Syndication.Tests;

/// <summary>
/// Every kind the app stores or queues is checked for shape when read: JSON that parses but is <c>{}</c>, or holds a null
/// where the type allows none, is named with its path. Pure: no storage.
/// </summary>
public sealed class StoredShapeTests
{
    public static TheoryData<Type> Kinds => [typeof(Article), typeof(OutboxEntry), typeof(DeliveryRecord), typeof(DeadLetter), typeof(HistoryEntry), typeof(FeedBatch), typeof(ChannelWake), typeof(PoisonMessage), typeof(RecentStory), typeof(Subscriber), typeof(WatchIndex), typeof(Headline)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_empty_object_of_any_stored_kind_is_named_with_its_missing_field(Type kind)
    {
        var value = JsonSerializer.Deserialize("{}", kind, BlobJson.Options);
        Assert.Matches(@"^\$\.[a-zA-Z]+ is missing or null$", JsonShape.Problem(value));
    }

    [Fact]
    public void Nulls_in_lists_and_maps_are_named_with_their_path_and_allowed_nulls_are_not()
    {
        Assert.Equal("$[1] is null", JsonShape.Problem(JsonSerializer.Deserialize<List<RecentStory>>("[{\"shingles\": [1], \"article\": \"a\", \"at\": \"2026-01-01T00:00:00Z\"}, null]", BlobJson.Options)));
        Assert.Null(JsonShape.Problem(JsonSerializer.Deserialize<List<RecentStory>>("[{\"url\": null, \"shingles\": [1], \"article\": \"a\", \"at\": \"2026-01-01T00:00:00Z\"}]", BlobJson.Options)));
        Assert.Equal("$['desk'] is null", JsonShape.Problem(JsonSerializer.Deserialize<Dictionary<string, FailingChannel>>("{\"desk\": null}", BlobJson.Options)));
        Assert.Equal("$.feeds[0] is null", JsonShape.Problem(JsonSerializer.Deserialize<FeedBatch>("{\"scheduledAt\": \"2026-01-01T00:00:00Z\", \"shards\": [1], \"feeds\": [null]}", BlobJson.Options)));
        Assert.Equal("it holds JSON null", JsonShape.Problem(null));
    }
}
