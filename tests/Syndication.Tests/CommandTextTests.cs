using Syndication.Editing;

namespace Syndication.Tests;

/// <summary>How an editor's command line is read: no I/O.</summary>
public sealed class CommandTextTests
{
    [Theory]
    [InlineData("/add kayani ISI", "add", new[] { "kayani", "ISI" })]
    [InlineData("/ADD@syndication_bot kayani \"army chief\" ISI", "add", new[] { "kayani", "army chief", "ISI" })]
    [InlineData("/add kayani “army chief” “ISI”", "add", new[] { "kayani", "army chief", "ISI" })]
    [InlineData("/add  kayani\n/F-?16s?/i  ", "add", new[] { "kayani", "/F-?16s?/i" })]
    [InlineData("/exclude kayani \"cricket", "exclude", new[] { "kayani", "cricket" })]
    [InlineData("/add kayani \"\" x", "add", new[] { "kayani", "x" })]
    [InlineData("/rules", "rules", new string[0])]
    [InlineData("/new urdu-desk desk \"وزیراعظم عمران خان\" آئی ایم ایف", "new", new[] { "urdu-desk", "desk", "وزیراعظم عمران خان", "آئی", "ایم", "ایف" })]
    public void A_command_is_its_name_and_its_words_and_quoted_phrases(string text, string name, string[] arguments)
    {
        var command = CommandText.Parse(text)!;

        Assert.Equal(name, command.Name);
        Assert.Equal(arguments, command.Arguments);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("/")]
    [InlineData("/ add")]
    [InlineData("/add-rule x")]
    [InlineData("")]
    public void Text_that_is_not_a_command_is_not_read_as_one(string text) => Assert.Null(CommandText.Parse(text));

    [Theory]
    [InlineData("30m", 30)]
    [InlineData("30min", 30)]
    [InlineData("6h", 360)]
    [InlineData("2D", 2880)]
    [InlineData("1w", 10080)]
    [InlineData("90d", 129600)]
    [InlineData("91d", null)]
    [InlineData("0m", null)]
    [InlineData("6 hours", null)]
    [InlineData("-1h", null)]
    public void A_pause_lasts_from_a_minute_to_90_days(string text, int? minutes) =>
        Assert.Equal(minutes is { } m ? TimeSpan.FromMinutes(m) : null, CommandText.Duration(text));

    // Before: "/add kayani \u202Ecitsiba\u202C" was kept as typed, and /history and /rule showed it turned around.
    [Fact]
    public void Bidi_overrides_and_isolates_are_taken_out_of_a_command_and_Urdu_marks_stay()
    {
        var command = CommandText.Parse("/add kayani \u202Ecitsiba\u202C \u2067ISI\u2069 \"آرمی چیف\u200F\"")!;
        Assert.Equal(["kayani", "citsiba", "ISI", "آرمی چیف\u200F"], command.Arguments);
    }
}
