using Syndication.Pages;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>The editors' page admits launch data only as Telegram's Mini Apps documentation says to: signed with this bot's token, within the hour. Pure.</summary>
public sealed class MiniAppAuthTests
{
    static readonly DateTimeOffset Now = TestClock.Start;

    [Fact]
    public void Launch_data_signed_with_the_bot_token_names_the_user()
    {
        var signed = Assert.IsType<PageAuth.Signed>(MiniAppAuth.Check(MiniAppLaunch.Sign(501, "Bilal", Now.AddMinutes(-59)), FakeBotApi.Token, Now));
        Assert.Equal((501L, "Bilal"), (signed.User, signed.Name));
    }

    [Theory]
    [InlineData("forged", "the launch data's signature is not this bot's")]
    [InlineData("other-bot", "the launch data's signature is not this bot's")]
    [InlineData("tampered", "the launch data's signature is not this bot's")]
    [InlineData("old", "the launch data was signed 61 minutes ago, and at most 60 are accepted")]
    [InlineData("future", "the launch data is signed in the future")]
    [InlineData("unsigned", "the launch data is not signed (no hash)")]
    [InlineData("empty", "no Telegram launch data")]
    [InlineData("twice", "the launch data names 'user' twice")]
    public void Launch_data_not_signed_by_this_bot_within_the_hour_is_refused_with_why(string kind, string why)
    {
        var good = MiniAppLaunch.Sign(501, "Bilal", Now.AddMinutes(-1));
        var data = kind switch
        {
            "forged" => MiniAppLaunch.Sign(501, "Bilal", Now, forgeHash: new string('a', 64)),
            "other-bot" => MiniAppLaunch.Sign(501, "Bilal", Now, token: "4343:ANOTHER-bot-token"),
            "tampered" => good.Replace("%22id%22%3A501", "%22id%22%3A777", StringComparison.Ordinal),
            "old" => MiniAppLaunch.Sign(501, "Bilal", Now.AddMinutes(-61)),
            "future" => MiniAppLaunch.Sign(501, "Bilal", Now.AddMinutes(10)),
            "unsigned" => good[..good.IndexOf("&hash=", StringComparison.Ordinal)],
            "empty" => "",
            _ => good + "&user=%7B%22id%22%3A1%7D",
        };
        Assert.NotEqual(good, data);
        var refused = Assert.IsType<PageAuth.Refused>(MiniAppAuth.Check(data, FakeBotApi.Token, Now));
        Assert.StartsWith(why, refused.Why);
        Assert.DoesNotContain(FakeBotApi.Token, refused.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_bot_token_nothing_is_admitted() =>
        Assert.IsType<PageAuth.Refused>(MiniAppAuth.Check(MiniAppLaunch.Sign(501, "Bilal", Now), null, Now));
}
