using System.Globalization;
using System.Text.RegularExpressions;

namespace Syndication.Feeds;

/// <summary>
/// Dates as feeds write them: RFC 822 (RSS's <c>pubDate</c>, with every zone name in use), ISO 8601 and RFC 3339 (Atom,
/// Dublin Core), compact ISO 8601 (<c>20030610T040000Z</c>). A date without a zone is taken as UTC, never as the host's
/// zone, so nothing parsed depends on where the app runs.
/// </summary>
public static partial class FeedDates
{
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        return Rfc822(text) ?? Iso8601(text) ?? Loose(text);
    }

    static DateTimeOffset? Rfc822(string text)
    {
        var m = Rfc822Pattern().Match(text);
        if (!m.Success) return null;
        var month = Array.FindIndex(Months, name => m.Groups["month"].Value.StartsWith(name, StringComparison.OrdinalIgnoreCase)) + 1;
        if (month == 0) return null;
        var year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["year"].Length == 2) year += year < 50 ? 2000 : 1900; // RFC 2822 §4.3
        return Build(year, month, Int(m, "day"), Int(m, "hour"), Int(m, "minute"), Int(m, "second"), Zone(m.Groups["zone"].Value));
    }

    static DateTimeOffset? Iso8601(string text)
    {
        var m = IsoPattern().Match(text);
        if (!m.Success) return null;
        var zone = m.Groups["zone"].Success ? Zone(m.Groups["zone"].Value) : TimeSpan.Zero;
        var year = Int(m, "year");
        if (m.Groups["year"].Length == 2) year += year < 50 ? 2000 : 1900; // "20-04-10T05:00:00Z", as some generators write it
        return Build(year, Int(m, "month"), Int(m, "day"), Int(m, "hour"), Int(m, "minute"), Int(m, "second"), zone);
    }

    /// <summary>Whatever else .NET reads in the invariant culture, with a missing zone taken as UTC.</summary>
    static DateTimeOffset? Loose(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value) ? value.ToUniversalTime() : null;

    static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, TimeSpan? zone)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 24 || minute > 59 || second > 60)
            return null;
        var extra = TimeSpan.Zero;
        if (hour == 24) { hour = 0; extra += TimeSpan.FromDays(1); } // 24:00 is the end of the day (ISO 8601)
        if (second == 60) { second = 59; extra += TimeSpan.FromSeconds(1); } // a leap second
        try
        {
            return (new DateTimeOffset(year, month, day, hour, minute, second, zone ?? TimeSpan.Zero) + extra).ToUniversalTime();
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    static int Int(Match m, string group) => m.Groups[group].Success && m.Groups[group].Length > 0 ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>
    /// An offset from a zone as feeds write it: <c>+0500</c>, <c>-08:00</c>, <c>Z</c>, <c>GMT+02:00</c>, a North American
    /// or European abbreviation, or an RFC 822 military letter. Nothing, or a name not known, is UTC.
    /// </summary>
    static TimeSpan? Zone(string zone)
    {
        zone = zone.Trim().Trim('(', ')');
        if (zone.Length == 0) return TimeSpan.Zero;
        var offset = OffsetPattern().Match(zone);
        if (offset.Success)
        {
            var hours = int.Parse(offset.Groups["hours"].Value, CultureInfo.InvariantCulture);
            var minutes = offset.Groups["minutes"].Success ? int.Parse(offset.Groups["minutes"].Value, CultureInfo.InvariantCulture) : 0;
            if (hours > 14 || minutes > 59) return TimeSpan.Zero;
            var span = new TimeSpan(hours, minutes, 0);
            return offset.Groups["sign"].Value == "-" ? -span : span;
        }
        var name = zone.Split(' ')[0].ToUpperInvariant();
        if (Names.TryGetValue(name, out var hoursOff)) return TimeSpan.FromHours(hoursOff);
        // RFC 822 §5.1 military zones: A–I, K–M east, N–Y west, Z is UTC.
        if (name.Length == 1 && name[0] is >= 'A' and <= 'Z' and not 'J')
            return name[0] switch
            {
                'Z' => TimeSpan.Zero,
                <= 'I' => TimeSpan.FromHours(name[0] - 'A' + 1),
                <= 'M' => TimeSpan.FromHours(name[0] - 'A'),
                _ => TimeSpan.FromHours(-(name[0] - 'N' + 1)),
            };
        return TimeSpan.Zero;
    }

    static readonly Dictionary<string, double> Names = new(StringComparer.Ordinal)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0, ["WET"] = 0,
        ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5, ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
        ["AST"] = -4, ["ADT"] = -3, ["NST"] = -3.5, ["NDT"] = -2.5, ["AKST"] = -9, ["AKDT"] = -8, ["HST"] = -10,
        ["ET"] = -5, ["CT"] = -6, ["MT"] = -7, ["PT"] = -8,
        ["BST"] = 1, ["IST"] = 1, ["WEST"] = 1, ["CET"] = 1, ["MET"] = 1, ["MEZ"] = 1, ["CEST"] = 2, ["MEST"] = 2, ["MESZ"] = 2,
        ["EET"] = 2, ["EEST"] = 3, ["MSK"] = 3, ["PKT"] = 5, ["JST"] = 9, ["KST"] = 9, ["AEST"] = 10, ["AEDT"] = 11, ["NZST"] = 12, ["NZDT"] = 13,
    };

    [GeneratedRegex(@"^(?:[A-Za-z]{2,9}\.?,?\s*)?(?<day>\d{1,2})[\s-]+(?<month>[A-Za-z]{3,9})\.?[\s-]+(?<year>\d{4}|\d{2})(?:[\sT]+(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?(?:\.\d+)?)?\s*(?<zone>.*)$")]
    private static partial Regex Rfc822Pattern();

    [GeneratedRegex(@"^(?:(?<year>\d{4})-?|(?<year>\d{2})-)(?<month>\d{2})-?(?<day>\d{2})(?:[T\s](?<hour>\d{2}):?(?<minute>\d{2})(?::?(?<second>\d{2})(?:[.,]\d+)?)?)?\s*(?<zone>Z|[+-]\d{2}(?::?\d{2})?)?$")]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"^(?:GMT|UTC|UT)?\s*(?<sign>[+-])(?<hours>\d{1,2})(?::?(?<minutes>\d{2}))?$")]
    private static partial Regex OffsetPattern();
}
