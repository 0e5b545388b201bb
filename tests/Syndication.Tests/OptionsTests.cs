using System.ComponentModel.DataAnnotations;
using Syndication.Telegram;

namespace Syndication.Tests;

public sealed class OptionsTests
{
    static List<ValidationResult> Validate(TelegramOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void A_malformed_token_is_rejected_without_echoing_it()
    {
        const string token = "not-a-token secret-part";

        var error = Assert.Single(Validate(new TelegramOptions { BotToken = token }));

        Assert.Contains("does not look like a bot token", error.ErrorMessage);
        Assert.DoesNotContain("secret-part", error.ErrorMessage);
    }

    [Theory]
    [InlineData(null, null, 0)]
    [InlineData("", "", 0)]
    [InlineData("123456:abc-DEF_ghi", "http://127.0.0.1:8081", 0)]
    [InlineData("123456:abc", "ftp://bots.example", 1)]
    [InlineData("123456:abc", "not a url", 1)]
    [InlineData("123456:abc", "https://bots.example:8443", 0)]
    [InlineData("123456:abc", "http://localhost:8081", 0)]
    [InlineData("123456:abc", "http://bots.example:8081", 1)]                 // the token would cross the network in clear
    public void Token_and_api_base_url_are_checked(string? token, string? baseUrl, int errors) =>
        Assert.Equal(errors, Validate(new TelegramOptions { BotToken = token, ApiBaseUrl = baseUrl }).Count);
}
