using Syndication.Articles;
using Syndication.Delivery;

namespace Syndication.Tests;

/// <summary>
/// Which articles are one story in a channel, decided without storage: the same page under other addresses, an agency
/// story carried by several sites, one event under two outlets' own headlines; and a different story on the same topic is
/// not one.
/// </summary>
public sealed class SameStoriesTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);
    const string AgencyLead = SameStoryTests.AgencyLead;

    static Article Story(string feed, string title, string link, string text, int minutesLater = 0) =>
        new(feed, link, title, link, Now.AddMinutes(minutesLater), null, [], text, text, Now, []);

    static IReadOnlyDictionary<string, string> Repeats(params Article[] articles) => SameStories.Sort([], articles, Now).Repeats;

    [Fact]
    public void An_agency_story_on_three_sites_is_one_story_and_each_repeat_names_the_first()
    {
        var dawn = Story("dawn", "Kayani tells parliament army will not accept unilateral action", "https://dawn.example/news/1", AgencyLead);
        var tribune = Story("tribune", "Army won't accept unilateral action, Kayani tells parliament", "https://tribune.example/story/9", AgencyLead + " The session lasted four hours.", 3);
        var nation = Story("nation", "Kayani tells parliament army will not accept unilateral action", "https://nation.example/2026/11/28/kayani", AgencyLead.Replace("ISLAMABAD: ", ""), 5);

        var repeats = Repeats(dawn, tribune, nation);

        Assert.Equal(new Dictionary<string, string> { [tribune.BlobName] = dawn.BlobName, [nation.BlobName] = dawn.BlobName }, repeats);
    }

    [Fact]
    public void Two_different_stories_on_the_same_topic_are_two()
    {
        var briefing = Story("dawn", "Kayani tells parliament army will not accept unilateral action", "https://dawn.example/news/1", AgencyLead);
        var meeting = Story("tribune", "Kayani meets Mullen in Abu Dhabi over Haqqani network", "https://tribune.example/story/10",
            "General Kayani met Admiral Mike Mullen in Abu Dhabi on Saturday to discuss the Haqqani network and border coordination, a military spokesman said.", 3);

        Assert.Empty(Repeats(briefing, meeting));
    }

    [Fact]
    public void One_event_under_two_outlets_own_headlines_and_leads_is_one_story()
    {
        // Headlines from the UCI News Aggregator set (one event, two outlets); each site wrote its own lead.
        var reuters = Story("reuters", "Kayani rejects US demands on Haqqani network, asks parliament to back army", "https://reuters.example/1",
            "Pakistan's army chief told lawmakers on Friday the military would not be pushed into new operations.");
        var dawn = Story("dawn", "Kayani asks parliament to back army against US demands on Haqqani network", "https://dawn.example/news/2",
            "In a closed-door briefing, General Ashfaq Parvez Kayani sought the support of both houses.", 40);

        Assert.Equal(reuters.BlobName, Repeats(reuters, dawn)[dawn.BlobName]);
    }

    [Fact]
    public void One_page_in_a_sites_main_and_section_feeds_is_one_story_whatever_its_headline()
    {
        var main = Story("main", "Kayani tells parliament army will not accept unilateral action", "https://www.dawn.example/news/1?utm_source=rss", AgencyLead);
        var section = Story("pakistan", "Army chief briefs parliament", "http://dawn.example/news/1/", "General Kayani briefed parliament.");

        Assert.Equal(main.BlobName, Repeats(main, section)[section.BlobName]);
    }

    [Fact]
    public void A_story_the_channel_had_is_a_repeat_and_an_article_already_claimed_is_not_a_repeat_of_itself()
    {
        var dawn = Story("dawn", "Kayani tells parliament army will not accept unilateral action", "https://dawn.example/news/1", AgencyLead);
        var tribune = Story("tribune", "Army won't accept unilateral action, Kayani tells parliament", "https://tribune.example/story/9", AgencyLead, 3);
        var stories = new List<RecentStory>();
        Assert.True(SameStories.Sort(stories, [dawn], Now).Added);

        var again = SameStories.Sort(stories, [dawn, tribune], Now.AddMinutes(10));

        Assert.False(again.Added);
        Assert.Equal(new Dictionary<string, string> { [tribune.BlobName] = dawn.BlobName }, again.Repeats);
        Assert.Single(stories);
    }

    [Theory]
    [InlineData("https://www.dawn.example/news/1?utm_source=rss#comments", "dawn.example/news/1")]
    [InlineData("http://m.dawn.example/news/1/amp/", "dawn.example/news/1")]
    [InlineData("https://dawn.example/news?id=5&b=2&fbclid=x", "dawn.example/news?b=2&id=5")]
    [InlineData("https://dawn.example:8443/news/1", "dawn.example:8443/news/1")]
    [InlineData("mailto:desk@dawn.example", null)]
    public void A_canonical_address_keeps_only_what_names_the_page(string link, string? expected) =>
        Assert.Equal(expected, StoryFingerprint.CanonicalUrl(link));

    [Fact]
    public void A_copied_story_is_close_and_a_different_story_on_the_topic_is_far()
    {
        var copied = StoryFingerprint.Similarity(
            StoryFingerprint.Shingles("Kayani tells parliament army will not accept unilateral action", AgencyLead),
            StoryFingerprint.Shingles("Army won't accept unilateral action, Kayani tells parliament", AgencyLead + " The session lasted four hours."));
        var other = StoryFingerprint.Similarity(
            StoryFingerprint.Shingles("Kayani tells parliament army will not accept unilateral action", AgencyLead),
            StoryFingerprint.Shingles("Kayani meets Mullen in Abu Dhabi", "General Kayani met Admiral Mike Mullen in Abu Dhabi on Saturday to discuss the army's cooperation with the United States."));

        Assert.InRange(copied, StoryFingerprint.SameText, 1);
        Assert.InRange(other, 0, 0.1);
    }

    [Fact]
    public void Other_sites_carrying_a_story_are_counted_once_each_and_their_edits_go_10_minutes_apart()
    {
        var dawn = Story("dawn", "Kayani tells parliament army will not accept unilateral action", "https://www.dawn.example/news/1", AgencyLead);
        var dawnAgain = Story("dawn-print", "Kayani tells parliament army will not accept unilateral action", "https://dawn.example/print/1", AgencyLead) with { Source = "Dawn (print)" };
        var tribune = Story("tribune", "Army won't accept unilateral action, Kayani tells parliament", "https://tribune.example/story/9", AgencyLead, 3) with { Source = "The Express Tribune" };
        var tribune2 = Story("tribune-2", "Army won't accept unilateral action, Kayani tells parliament", "https://tribune.example/story/10", AgencyLead, 3);
        var geo = Story("geo", "Kayani tells parliament army will not accept unilateral action", "https://geo.example/k", AgencyLead, 5);
        var stories = new List<RecentStory>();
        SameStories.Sort(stories, [dawn], Now);

        var first = SameStories.Sort(stories, [dawnAgain, tribune, tribune2], Now.AddMinutes(3));
        var second = SameStories.Sort(stories, [geo], Now.AddMinutes(5));
        var third = SameStories.Sort(stories, [Story("nation", "Kayani tells parliament army will not accept unilateral action", "https://nation.example/1", AgencyLead, 30)], Now.AddMinutes(30));

        var also = Assert.Single(first.Also);
        Assert.Equal(dawn.BlobName, also.Key);
        Assert.Equal([new Outlet("tribune.example", "The Express Tribune", "https://tribune.example/story/9")], also.Value.Outlets); // not Dawn's own site, not the Tribune twice
        Assert.Equal(Now.AddMinutes(3), also.Value.GoAt);
        Assert.Equal(["tribune.example", "geo.example"], second.Also[dawn.BlobName].Outlets.Select(o => o.Site));
        Assert.Equal("geo", second.Also[dawn.BlobName].Outlets[1].Name); // an article stored before names were kept: its feed's id
        Assert.Equal(Now.AddMinutes(13), second.Also[dawn.BlobName].GoAt);
        Assert.Equal(Now.AddMinutes(30), third.Also[dawn.BlobName].GoAt);
        Assert.Equal(3, Assert.Single(stories).Also!.Count);
    }
}
