using System.Text.RegularExpressions;
using Syndication.Feeds;

namespace Syndication.Tests;

/// <summary>
/// The one-pass spacing of plain text gives, on every input, what the regular expressions it replaced gave (they made
/// one replacement per space and were most of the parser's time): random strings over every kind of space, line break,
/// bidirectional control and letter. Pure: no I/O.
/// </summary>
public sealed class PlainTextSpacingTests
{
    // The replaced implementations, kept here as the reference.
    static readonly Regex Bidi = new("[\u202A-\u202E\u2066-\u2069]");
    static readonly Regex Spacing = new(@"[ \t\r\f\v]+|\s{2,}");

    static string ReferenceText(string text) => string.IsNullOrWhiteSpace(text) ? "" : string.Join('\n',
        Bidi.Replace(text, "").Replace('\u00A0', ' ').Split('\n').Select(line => Spacing.Replace(line, " ").Trim()).Where(line => line.Length > 0));

    static string ReferenceOneLine(string text) => Spacing.Replace(Bidi.Replace(text.Replace('\n', ' ').Replace('\r', ' '), ""), " ").Trim();

    const string Alphabet = " \t\r\n\f\v\u0085\u00A0\u1680\u2000\u2003\u2028\u2029\u202F\u3000\u202A\u202E\u2066\u200Eab.";

    static IEnumerable<string> RandomTexts()
    {
        var random = new Random(20261128);
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 24)];
            for (var j = 0; j < chars.Length; j++) chars[j] = Alphabet[random.Next(Alphabet.Length)];
            yield return new string(chars);
        }
    }

    [Fact]
    public void Text_spacing_matches_the_regular_expressions_on_twenty_thousand_random_strings()
    {
        foreach (var text in RandomTexts())
            Assert.True(ReferenceText(text) == PlainText.FromText(text), $"FromText differs on {string.Concat(text.Select(c => $"\\u{(int)c:X4}"))}");
    }

    [Fact]
    public void One_line_spacing_matches_the_regular_expressions_on_twenty_thousand_random_strings()
    {
        foreach (var text in RandomTexts())
            Assert.True(ReferenceOneLine(text) == PlainText.OneLine(text), $"OneLine differs on {string.Concat(text.Select(c => $"\\u{(int)c:X4}"))}");
    }

    [Theory]
    [InlineData("<p>Two  spaces\tand a\u3000ideographic one</p><p>\u3000\u3000next</p>", "Two spaces and a ideographic one\nnext")]
    [InlineData("<p>a\n\n b</p>", "a b")]
    public void Html_text_collapses_every_run_of_whitespace_to_one_space(string html, string text) =>
        Assert.Equal(text, PlainText.FromHtml(html));
}
