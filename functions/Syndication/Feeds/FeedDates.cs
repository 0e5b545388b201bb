using System.Globalization;
using System.Text.RegularExpressions;

namespace Syndication.Feeds;

/// <summary>
/// Dates as feeds write them: RFC 822 (RSS's <c>pubDate</c>, with every zone name in use, and month names in English,
/// Greek or Hungarian), ISO 8601 and RFC 3339 (Atom, Dublin Core) with their reduced forms (<c>2003</c>, <c>-03-12</c>,
/// <c>031231</c>, the ordinal <c>03335</c>), compact ISO 8601 (<c>20030610T040000Z</c>), MSSQL (<c>2004-07-08 23:56:58.0</c>),
/// asctime (<c>Sun Jan  4 16:29:06 2004</c>), Perforce (<c>Fri, 2006/09/15 08:19:53 EDT</c>), and the Korean forms of Nate
/// and OnBlog (Korean time). These are the forms feedparser, the reference parser, reads; its own date tests are held
/// against this (<c>FeedDateTests</c>). A date without a zone is taken as UTC, never as the host's zone, so nothing parsed
/// depends on where the app runs. A date that begins as one of these forms and goes wrong (a time of four parts, an
/// offset of <c>+zz:00</c>) is no date, not a guess.
/// </summary>
public static partial class FeedDates
{
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        return Rfc822(text) ?? Iso8601(text) ?? Reduced(text) ?? Asctime(text) ?? Perforce(text) ?? Korean(text) ?? Hungarian(text)
            ?? (Rfc822Head().IsMatch(text) || IsoHead().IsMatch(text) ? null : Loose(text));
    }

    static DateTimeOffset? Rfc822(string text)
    {
        var m = Rfc822Pattern().Match(text);
        if (!m.Success || Month(m.Groups["month"].Value) is not { } month) return null;
        var year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (m.Groups["year"].Length == 2) year += year < 50 ? 2000 : 1900; // RFC 2822 §4.3
        return Zone(m.Groups["zone"].Value) is { } zone ? Build(year, month, Int(m, "day"), Int(m, "hour"), Int(m, "minute"), Int(m, "second"), zone) : null;
    }

    static DateTimeOffset? Iso8601(string text)
    {
        var m = IsoPattern().Match(text);
        if (!m.Success) return null;
        var zone = m.Groups["zone"].Success ? Zone(m.Groups["zone"].Value) : TimeSpan.Zero;
        if (zone is null) return null;
        var year = Int(m, "year");
        if (m.Groups["year"].Length == 2) year += year < 50 ? 2000 : 1900; // "20-04-10T05:00:00Z", as some generators write it
        return Build(year, Int(m, "month"), Int(m, "day"), Int(m, "hour"), Int(m, "minute"), Int(m, "second"), zone);
    }

    /// <summary>ISO 8601's reduced forms: a year (<c>2003</c>), a two-digit year and month (<c>-03-12</c>, <c>-0312</c>), <c>031231</c>, and an ordinal day (<c>03335</c>, <c>2003-335</c>).</summary>
    static DateTimeOffset? Reduced(string text)
    {
        var m = ReducedPattern().Match(text);
        if (!m.Success) return null;
        var year = Int(m, "year");
        if (m.Groups["year"].Length == 2) year += year < 50 ? 2000 : 1900;
        if (m.Groups["ordinal"].Success)
        {
            var ordinal = Int(m, "ordinal");
            return year is >= 1 and <= 9999 && ordinal >= 1 && ordinal <= (DateTime.IsLeapYear(year) ? 366 : 365)
                ? new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(ordinal - 1) : null;
        }
        return Build(year, m.Groups["month"].Success ? Int(m, "month") : 1, m.Groups["day"].Success ? Int(m, "day") : 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>C's asctime: <c>Sun Jan  4 16:29:06 2004</c>, with or without an offset before the year.</summary>
    static DateTimeOffset? Asctime(string text)
    {
        var m = AsctimePattern().Match(text);
        return m.Success && Month(m.Groups["month"].Value) is { } month && Zone(m.Groups["zone"].Value) is { } zone
            ? Build(Int(m, "year"), month, Int(m, "day"), Int(m, "hour"), Int(m, "minute"), Int(m, "second"), zone) : null;
    }

    /// <summary>Perforce's change feeds: <c>Fri, 2006/09/15 08:19:53 EDT</c>.</summary>
    static DateTimeOffset? Perforce(string text)
    {
        var m = PerforcePattern().Match(text);
        return m.Success && Zone(m.Groups["zone"].Value) is { } zone
            ? Build(Int(m, "year"), Int(m, "month"), Int(m, "day"), Int(m, "hour"), Int(m, "minute"), Int(m, "second"), zone) : null;
    }

    /// <summary>
    /// The Korean forms, in Korean time (UTC+9): Nate's <c>2004-05-25 오후 11:23:17</c> (오전 morning, 오후 afternoon) and
    /// OnBlog's <c>2004년 05월 28일 01:31:15</c>.
    /// </summary>
    static DateTimeOffset? Korean(string text)
    {
        var m = KoreanPattern().Match(text);
        if (!m.Success) return null;
        var hour = Int(m, "hour");
        if (m.Groups["half"].Value == "오후" && hour < 12) hour += 12;
        else if (m.Groups["half"].Value == "오전" && hour == 12) hour = 0;
        return Build(Int(m, "year"), Int(m, "month"), Int(m, "day"), hour, Int(m, "minute"), Int(m, "second"), TimeSpan.FromHours(9));
    }

    /// <summary>Hungarian month names in an ISO-like date: <c>2004-július-13T9:15-05:00</c>.</summary>
    static DateTimeOffset? Hungarian(string text)
    {
        var m = HungarianPattern().Match(text);
        return m.Success && Month(m.Groups["month"].Value) is { } month && Zone(m.Groups["zone"].Value) is { } zone
            ? Build(Int(m, "year"), month, Int(m, "day"), Int(m, "hour"), Int(m, "minute"), 0, zone) : null;
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
    /// Month names' beginnings in Greek and Hungarian, accents and case set aside (<c>Ιούλ</c> is <c>ιουλ</c>, <c>július</c>
    /// is <c>julius</c>), as Greek and Hungarian feeds write them; each names its month's number. Greek writes May as
    /// <c>Μάι</c> or <c>Μαΐ</c>, June and July also as <c>Ιον</c> and <c>Ιολ</c>.
    /// </summary>
    static readonly (string Prefix, int Month)[] OtherMonths =
    [
        ("ιαν", 1), ("φεβ", 2), ("μαρ", 3), ("μαω", 3), ("απρ", 4), ("μαι", 5), ("ιουν", 6), ("ιον", 6), ("ιουλ", 7), ("ιολ", 7),
        ("αυγ", 8), ("σεπ", 9), ("οκτ", 10), ("νοε", 11), ("δεκ", 12),
        ("januar", 1), ("februar", 2), ("marcius", 3), ("aprilis", 4), ("majus", 5), ("junius", 6), ("julius", 7), ("augusztus", 8),
        ("szeptember", 9), ("oktober", 10), ("november", 11), ("december", 12),
    ];

    /// <summary>A month's number from its name or abbreviation, in English, Greek or Hungarian; null for anything else.</summary>
    static int? Month(string name)
    {
        var english = Array.FindIndex(Months, m => name.StartsWith(m, StringComparison.OrdinalIgnoreCase));
        if (english >= 0) return english + 1;
        // Accents and case only: matching's folding would read Greek ι and ο as the Latin letters they look like.
        var folded = string.Concat(name.Normalize(System.Text.NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark))
            .ToLowerInvariant();
        foreach (var (prefix, month) in OtherMonths)
            if (folded.StartsWith(prefix, StringComparison.Ordinal) || prefix.StartsWith(folded, StringComparison.Ordinal) && folded.Length >= 3) return month;
        return null;
    }

    /// <summary>
    /// An offset from a zone as feeds write it: <c>+0500</c>, <c>-08:00</c>, <c>Z</c>, <c>GMT+02:00</c>, a North American
    /// or European abbreviation, or an RFC 822 military letter. Nothing, or a name not known, is UTC; an offset that is
    /// not one (digits that do not read as hours and minutes within ±14 hours) is null.
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
            if (hours > 14 || minutes > 59) return null;
            var span = new TimeSpan(hours, minutes, 0);
            return offset.Groups["sign"].Value == "-" ? -span : span;
        }
        var name = zone.Split(' ')[0].ToUpperInvariant();
        if (Names.TryGetValue(name, out var hoursOff)) return TimeSpan.FromHours(hoursOff);
        if (name.Any(char.IsDigit)) return null; // an offset gone wrong (+zz:00, 1:2:3:4): no date rather than a guess
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
        ["AT"] = -4, ["AST"] = -4, ["ADT"] = -3, ["NST"] = -3.5, ["NDT"] = -2.5, ["AKST"] = -9, ["AKDT"] = -8, ["HST"] = -10,
        ["ET"] = -5, ["CT"] = -6, ["MT"] = -7, ["PT"] = -8,
        ["BST"] = 1, ["IST"] = 1, ["WEST"] = 1, ["CET"] = 1, ["MET"] = 1, ["MEZ"] = 1, ["CEST"] = 2, ["MEST"] = 2, ["MESZ"] = 2,
        ["EET"] = 2, ["EEST"] = 3, ["MSK"] = 3, ["PKT"] = 5, ["JST"] = 9, ["KST"] = 9, ["AEST"] = 10, ["AEDT"] = 11, ["NZST"] = 12, ["NZDT"] = 13,
    };

    [GeneratedRegex(@"^(?:\p{L}{2,9}\.?,?\s*)?(?<day>\d{1,2})[\s-]+(?<month>\p{L}{3,9})\.?,?[\s-]+(?<year>\d{4}|\d{2})(?:[\sT]+(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?(?:\.\d+)?)?\s*(?<zone>.*)$")]
    private static partial Regex Rfc822Pattern();

    /// <summary>How an RFC 822 date begins (a weekday, a day, a month's name): such a text is read as one or not at all.</summary>
    [GeneratedRegex(@"^(?:\p{L}{2,9}\.?,?\s*)?\d{1,2}[\s-]+\p{L}{3,9}\.?,?[\s-]+\d{2,4}\b")]
    private static partial Regex Rfc822Head();

    [GeneratedRegex(@"^(?:(?<year>\d{4})-?|(?<year>\d{2})-)(?:0(?=\d{2}-))?(?<month>\d{2})-?(?<day>\d{2})(?:[T\s](?<hour>\d{1,2}):?(?<minute>\d{2})(?::?(?<second>\d{2})(?:[.,]\d+)?)?\s*(?<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?$")]
    private static partial Regex IsoPattern();

    /// <summary>How an ISO 8601 date with a day begins: such a text is read as one or not at all.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2,3}-\d{2}")]
    private static partial Regex IsoHead();

    [GeneratedRegex(@"^(?:(?<year>\d{4})|-(?<year>\d{2})-?(?<month>\d{2})|(?<year>\d{2})(?<month>\d{2})(?<day>\d{2})|(?<year>\d{2}|\d{4})-?(?<ordinal>\d{3}))$")]
    private static partial Regex ReducedPattern();

    [GeneratedRegex(@"^[A-Za-z]{3}\s+(?<month>[A-Za-z]{3})\s+(?<day>\d{1,2})\s+(?<hour>\d{1,2}):(?<minute>\d{2}):(?<second>\d{2})\s+(?:(?<zone>[+-]\d{4}|[A-Z]{1,5})\s+)?(?<year>\d{4})$")]
    private static partial Regex AsctimePattern();

    [GeneratedRegex(@"^(?:[A-Za-z]{3},\s*)?(?<year>\d{4})/(?<month>\d{2})/(?<day>\d{2})\s+(?<hour>\d{1,2}):(?<minute>\d{2}):(?<second>\d{2})\s*(?<zone>\S*)$")]
    private static partial Regex PerforcePattern();

    [GeneratedRegex(@"^(?:(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})\s+(?<half>오전|오후)|(?<year>\d{4})년\s*(?<month>\d{1,2})월\s*(?<day>\d{1,2})일)\s+(?<hour>\d{1,2}):(?<minute>\d{2}):(?<second>\d{2})$")]
    private static partial Regex KoreanPattern();

    [GeneratedRegex(@"^(?<year>\d{4})-(?<month>\p{L}{3,12})-(?<day>\d{1,2})T(?<hour>\d{1,2}):(?<minute>\d{2})(?<zone>Z|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex HungarianPattern();

    [GeneratedRegex(@"^(?:GMT|UTC|UT)?\s*(?<sign>[+-])(?<hours>\d{1,2})(?::?(?<minutes>\d{2}))?$")]
    private static partial Regex OffsetPattern();
}
