using System.Diagnostics;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Summaries;
using Syndication.Syntax;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>Text written to slip past exclusions, turn a message around, or crowd out its link. Pure: no I/O.</summary>
public sealed class HostileTextTests
{
    static SyndicationConfig Config(params string[] noneOf) => new(
        [new FeedDefinition("pt", new Uri("https://pt.example/feed"), 0, null, [])],
        [new ChannelDefinition("desk", "@desk")],
        [new RuleDefinition("r", ["desk"], null, ["Kayani"], [], noneOf, false, ArticleField.Default, true)]);

    static bool Alerts(string title, params string[] noneOf) =>
        new RuleMatcher(Config(noneOf)).Match("pt", new FeedEntry("k", title, null, null, null, [], "", "")).Count == 1;

    [Theory]
    [InlineData("Kayani at the cricket final")]
    [InlineData("Kayani at the \u0441ricket final")]            // Cyrillic с
    [InlineData("Kayani at the cr\u0456\u0441k\u0435t final")]  // Cyrillic і, с, е
    [InlineData("Kayani at the ｃｒｉｃｋｅｔ final")]             // fullwidth
    [InlineData("Kayani at the CRICKET final")]
    [InlineData("Kayani at the \u03BFpinion cricket")]           // Greek ο elsewhere changes nothing
    public void Look_alike_letters_do_not_slip_past_noneOf(string title) =>
        Assert.False(Alerts(title, "cricket"));

    /// <summary>"cricket" in 24 disguises: UTS #39 confusables, compatibility forms, and invisible characters inside the word.</summary>
    public static TheoryData<string, string> Disguises => new()
    {
        { "\U0001D41C\U0001D42B\U0001D422\U0001D41C\U0001D424\U0001D41E\U0001D42D", "mathematical bold" },
        { "\U0001D450\U0001D45F\U0001D456\U0001D450\U0001D458\U0001D452\U0001D461", "mathematical italic" },
        { "\U0001D5F0\U0001D5FF\U0001D5F6\U0001D5F0\U0001D5F8\U0001D5F2\U0001D601", "mathematical sans-serif bold" },
        { "\U0001D68C\U0001D69B\U0001D692\U0001D68C\U0001D694\U0001D68E\U0001D69D", "mathematical monospace" },
        { "\U0001D554\U0001D563\U0001D55A\U0001D554\U0001D55C\U0001D556\U0001D565", "mathematical double-struck" },
        { "\U0001D520\U0001D52F\U0001D526\U0001D520\U0001D528\U0001D522\U0001D531", "mathematical fraktur" },
        { "cr\u0131cket", "dotless i" },
        { "\u03F9RI\u03F9KET", "lunate sigma" },
        { "\uA4DA\uA4E3\uA4F2\uA4DA\uA4D7\uA4F0\uA4D4", "Lisu" },
        { "\u1D04\u0280\u026A\u1D04\u1D0B\u1D07\u1D1B", "small capitals" },
        { "\u13DF\u13A1\u13A5\u13DF\u13E6\u13AC\u13A2", "Cherokee" },
        { "\u03F9R\u0399\u03F9\u039A\u0395\u03A4", "Greek capitals" },
        { "\u0441ricket", "Cyrillic с" },
        { "cr\u0456\u0441k\u0435t", "Cyrillic і, с, е" },
        { "ｃｒｉｃｋｅｔ", "fullwidth" },
        { "\u1D9C\u02B3\u2071\u1D9C\u1D4F\u1D49\u1D57", "modifier letters" },
        { "cri\u3164cket", "Hangul filler" },
        { "cri\uFFA0cket", "halfwidth Hangul filler" },
        { "cr\U000E0069\U000E0063icket", "tag characters" },
        { "cri\u200Bcket", "zero-width space" },
        { "cri\u00ADcket", "soft hyphen" },
        { "cri\u2060cket", "word joiner" },
        { "cri\uFE0Fcket", "variation selector" },
        { "c\u0301ri\u0308cket", "combining accents" },
    };

    // Before: the first six, the dotless i, lunate sigma, Lisu, small capitals, Cherokee, modifier letters, the Hangul
    // fillers and the tag characters all slipped past noneOf.
    [Theory]
    [MemberData(nameof(Disguises))]
    public void No_disguise_of_a_word_slips_past_noneOf(string disguised, string how)
    {
        Assert.False(Alerts($"Kayani at the {disguised} final", "cricket"), how);
        Assert.False(Alerts($"KAYANI AT THE {disguised.ToUpperInvariant()} FINAL", "Cricket"), how + ", in capitals");
    }

    [Fact]
    public void Every_Latin_target_of_the_confusables_table_is_folded_to()
    {
        var table = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Repo.TestData("confusables/confusables.json")))!;
        static bool Regional(int c) => c < 0x80 || c is >= 0x0590 and <= 0x0DFF or >= 0xFB1D and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF or >= 0x1EE00 and <= 0x1EEFF;
        var checkedCount = 0;
        var wrong = new List<string>();
        foreach (var (from, to) in table)
        {
            if (to.Length != 1 || !char.IsAsciiLetter(to[0]) || char.ConvertToUtf32(from, 0) is var c && (from.Length != char.ConvertFromUtf32(c).Length || Regional(c))) continue;
            if (!char.IsLetterOrDigit(from, 0)) continue; // symbols (×) separate words; they cannot disguise a letter inside one
            checkedCount++;
            if (c is >= 0x0E00 and <= 0x0EFF or >= 0x1000 and <= 0x109F) continue; // Thai, Lao and Myanmar characters are words of their own
            var words = TermSyntax.TryParse($"x{from}x", caseSensitive: false, out _)?.Words;
            // The table draws I and l alike and lists both as l: a letter that is an I is read as i. A letter whose
            // compatibility decomposition is Latin is that letter (long ſ is an s, though the table draws it as f).
            var decomposed = from.Normalize(System.Text.NormalizationForm.FormKD)[0];
            string[] expected = [.. (to == "l" ? ["xlx", "xix"] : new[] { $"x{char.ToLowerInvariant(to[0])}x" }),
                .. char.IsAsciiLetter(decomposed) ? [$"x{char.ToLowerInvariant(decomposed)}x"] : Array.Empty<string>()];
            if (words is not [var word] || !expected.Contains(word)) wrong.Add($"U+{c:X4} {from} → {to}: {string.Join(' ', words ?? [])}");
        }
        Assert.True(checkedCount > 1_000, $"{checkedCount} entries checked");
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {checkedCount}: {string.Join("; ", wrong.Take(40))}");
    }

    [Theory]
    [InlineData("Kayani meets the press", "cricket", true)]
    [InlineData("Кайани и армия", "армия", false)] // a Cyrillic exclusion still excludes Cyrillic text
    [InlineData("Kayani in Москва", "Москва", false)]
    public void Rules_in_other_scripts_still_match_their_own_script(string title, string noneOf, bool alerts) =>
        Assert.Equal(alerts, Alerts(title, noneOf));

    [Fact]
    public void Bidirectional_overrides_never_reach_a_message()
    {
        var entry = FeedParser.Parse(new FetchedFeed(new Uri("https://pt.example/feed"), System.Text.Encoding.UTF8.GetBytes(Rss.WordPress(
            "Pakistan \u202ETODAY\u202C", new Item("Kayani \u202Egnp.exe\u202C balks", "https://pt.example/a", Description: "<p>Kayani \u2067said\u2069 it. ﺑﺎﺕ \u200F ok.</p>"))), "application/rss+xml", null));
        var item = entry.Entries.Single();

        Assert.Equal("Pakistan TODAY", entry.Title);
        Assert.Equal("Kayani gnp.exe balks", item.Title);
        Assert.Equal("Kayani said it. ﺑﺎﺕ \u200F ok.", item.Text); // the right-to-left mark, which Urdu needs, stays
    }

    [Fact]
    public void A_very_long_feed_title_never_pushes_the_link_out_of_the_message()
    {
        var article = new Article("f", "k", new string('T', 400), "https://news.example/story", null, null, [], "", string.Join(' ', Enumerable.Repeat("Kayani spoke at length.", 300)), DateTimeOffset.UnixEpoch, []);
        foreach (var source in new[] { new string('S', 5000), string.Concat(Enumerable.Repeat("Source name ", 1000)) })
        {
            var html = MessageFormatter.Format(article, source, [new ArticleMatch("kayani", ["Kayani"], ["desk"])]);
            Assert.Contains("<a href=\"https://news.example/story\">Read more</a>", html);
            Assert.EndsWith("#kayani", html);
            Assert.True(global::Telegram.Bot.Extensions.HtmlText.PlainLength(html) <= MessageFormatter.MaxLength);
        }
    }

    [Fact]
    public void A_backtracking_regex_costs_one_timeout_per_article_not_one_per_sentence()
    {
        // Lookaround forces the backtracking engine (100 ms timeout); nested quantifiers make it blow up on every sentence.
        var term = TermSyntax.TryParse("/(?<=\\s)(a+)+b/", false, out var error)!;
        Assert.Null(error);
        var text = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"Sentence {i} {new string('a', 40)}."));
        var clock = Stopwatch.StartNew();

        Summarizer.Summarize(text, "", [term]);

        // Before: 40 sentences × up to 100 ms each.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"summarizing took {clock.Elapsed}");
    }
}
