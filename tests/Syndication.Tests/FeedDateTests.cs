using System.Globalization;
using Syndication.Feeds;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Dates as the reference parser's own tests write them (feedparser's <c>test_date_parser</c>, copied with its licence):
/// RFC 822 and its variants, W3DTF and ISO 8601 forms, MSSQL, asctime, Perforce, and Korean, Greek and Hungarian month
/// names. Each is read by the one reader feeds go through, and must give feedparser's date, or none where it gives none.
/// </summary>
public sealed class FeedDateTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var line in File.ReadLines(Repo.TestData("feedparser-dates/dates.tsv")).Where(l => !l.StartsWith('#')))
        {
            var cells = line.Split('\t');
            data.Add(cells[0], cells[1], cells[2]);
        }
        return data;
    }

    /// <summary>
    /// Cases where feedparser's test asks one of its parsers alone, and feedparser as a whole (<c>_parse_date</c>, which
    /// tries them all) reads the text: here the one reader gives what feedparser as a whole gives.
    /// </summary>
    static readonly Dictionary<string, string> AsAWhole = new()
    {
        // Its W3DTF parser refuses a five-digit year; its ISO 8601 parser reads year 22, day 13, as it reads 03335.
        ["22013"] = "2022-01-13T00:00:00Z",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_date_in_feedparsers_own_tests_reads_as_feedparser_reads_it(string parser, string text, string expected)
    {
        expected = AsAWhole.GetValueOrDefault(text, expected);
        var parsed = FeedDates.Parse(text);
        Assert.True((parsed?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "") == expected,
            $"{parser} \"{text}\": feedparser reads {(expected.Length == 0 ? "no date" : expected)}, this reads {parsed?.ToString("u", CultureInfo.InvariantCulture) ?? "no date"}");
    }

    [Fact]
    public void All_of_feedparsers_date_cases_are_here() => Assert.Equal(72, Cases().Count);
}
