using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Syntax;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Urdu and Arabic text typed from any keyboard matches alike: letter variants that are one letter in Urdu fold to the
/// Urdu form, digits of every script are one, diacritics vanish, and Urdu punctuation separates words. Held against a
/// reference normalisation nobody here wrote (urduhack's table) on every letter it names, and checked on every
/// Arabic-script letter Unicode has.
/// </summary>
public sealed class UrduFoldingTests
{
    static RuleMatcher Matcher(string term) => RuleMatcher.For(new SyndicationConfig(
        [new FeedDefinition("dawn", new Uri("https://dawn.example/feed"), 0, null, [])],
        [new ChannelDefinition("desk", "@desk")],
        [new RuleDefinition("r", ["desk"], null, [term], [], [])]));

    static bool Matches(string term, string text) => Matcher(term).Match("dawn", new FeedEntry("k", text, null, null, null, [], "", "")).Count == 1;

    static string Folded(string text)
    {
        using var words = WordTokens.Of(text, caseSensitive: false);
        return string.Join(' ', Enumerable.Range(0, words.Count).Select(i => words.Folded(i).ToString()));
    }

    [Theory]
    // The keyboards' variants of one letter
    [InlineData("پاكستان", "پاکستان کی فوج", true)]          // Arabic kaf typed for keheh
    [InlineData("پاکستان", "پاكستان کی فوج", true)]
    [InlineData("فوجي", "فوجی قیادت", true)]                 // Arabic yeh for Farsi yeh
    [InlineData("علی", "على الأقل", true)]                   // alef maksura is yeh
    [InlineData("كراچي", "کراچی میں بارش", true)]             // both at once
    [InlineData("شهر", "شہر میں", true)]                     // Arabic heh for heh goal
    [InlineData("زکوة", "زکوۃ کی ادائیگی", true)]             // teh marbuta
    // Letters that differ in meaning stay apart
    [InlineData("بہت", "بھت", false)]                        // heh goal against heh doachashmee (aspiration)
    [InlineData("ہے", "ہی", false)]                          // yeh barree against yeh
    [InlineData("کے", "کی", false)]
    // Diacritics vanish; hamza is a mark
    [InlineData("پاکستان", "پاکِستان", true)]                 // zer
    [InlineData("محمد", "مُحَمَّد", true)]                      // pesh, zabar, tashdeed
    [InlineData("لیے", "اس لئے کہ", true)]                   // the two spellings of "for"
    // Digits of every script are one
    [InlineData("2026", "سال ۲۰۲۶ میں", true)]
    [InlineData("۲۰۲۶", "in 2026", true)]
    [InlineData("٢٠٢٦", "سال ۲۰۲۶ میں", true)]
    [InlineData("2026", "سال ۲۰۲۷ میں", false)]
    // Urdu punctuation separates words
    [InlineData("کیانی", "جنرل کیانی۔ انہوں نے کہا", true)]
    [InlineData("کیانی", "کیانی، زرداری", true)]
    [InlineData("کیانی", "کیا کیانی؟", true)]
    [InlineData("فوج", "فوجی۔", false)]                      // still whole words
    public void Urdu_typed_from_any_keyboard_matches_as_one(string term, string text, bool expected) =>
        Assert.Equal(expected, Matches(term, text));

    [Fact]
    public void A_none_of_typed_from_an_arabic_keyboard_keeps_out_the_same_word_typed_in_urdu()
    {
        var matcher = RuleMatcher.For(new SyndicationConfig(
            [new FeedDefinition("dawn", new Uri("https://dawn.example/feed"), 0, null, [])],
            [new ChannelDefinition("desk", "@desk")],
            [new RuleDefinition("fauj", ["desk"], null, ["فوج"], [], ["كركٹ"])])); // noneOf with Arabic kaf
        FeedEntry Entry(string title) => new("k", title, null, null, null, [], "", "");

        Assert.Single(matcher.Match("dawn", Entry("فوج کی پریڈ")));
        Assert.Empty(matcher.Match("dawn", Entry("فوج اور کرکٹ")));
    }

    static readonly HashSet<char> FollowsUnicodeNames = ['\uFEEB', '\uFEEC', '\uFEF3', '\uFEF4'];

    [Fact]
    public void Every_character_urduhacks_table_replaces_matches_its_target_both_ways()
    {
        var rows = File.ReadLines(Path.Combine(Repo.Root, "tests", "Syndication.Tests", "testdata", "urdu-normalization", "urduhack-characters.tsv"))
            .Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).Where(r => r[1].Length > 0).ToList();
        Assert.Equal(158, rows.Count);
        var checkedRows = 0;
        foreach (var row in rows)
        {
            var (target, source) = (row[0], row[1][0]);
            if (FollowsUnicodeNames.Contains(source)) continue;
            checkedRows++;
            if (target.Length == 0) { Assert.Equal(TextFolding.Ignorable, TextFolding.Kind[source]); continue; } // tatweel
            if (target.Length == 2) { Assert.Equal(Folded(target[..1]), Folded(source.ToString())); continue; }  // lam-alef: its first letter
            Assert.True(Folded(target) == Folded(source.ToString()), $"{row[3]} ({source}) should fold as {row[2]} ({target}): {Folded(source.ToString())} against {Folded(target)}");
            Assert.True(Matches(target, $"x {source} y"), $"{target} should match {source}");
            Assert.True(Matches(source.ToString(), $"x {target} y"), $"{source} should match {target}");
        }
        Assert.Equal(154, checkedRows);
        // The four it departs from, as README.md there says: Unicode's names.
        Assert.Equal(Folded("ہ"), Folded("\uFEEB"));
        Assert.Equal(Folded("ی"), Folded("\uFEF3"));
        Assert.NotEqual(Folded("ھ"), Folded("\uFEEB"));
    }

    /// <summary>The letters of the Urdu alphabet, each one letter: none may fold into another.</summary>
    const string UrduAlphabet = "ا ب پ ت ٹ ث ج چ ح خ د ڈ ذ ر ڑ ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن ں و ہ ھ ء ی ے";

    [Fact]
    public void Every_arabic_script_letter_folds_within_the_script_once_and_the_urdu_alphabet_stays_apart()
    {
        var letters = Enumerable.Range(0x0600, 0x100).Concat(Enumerable.Range(0x0750, 0x30)).Concat(Enumerable.Range(0xFB50, 0x2B0)).Concat(Enumerable.Range(0xFE70, 0x8D))
            .Select(c => (char)c).Where(c => TextFolding.Kind[c] == TextFolding.Word && char.IsLetter(c)).ToList();
        Assert.InRange(letters.Count, 500, 2000);
        foreach (var c in letters)
        {
            var folded = TextFolding.Lower[c];
            Assert.True(folded is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\u08A0' and <= '\u08FF', $"U+{(int)c:X4} folds outside the Arabic script, to U+{(int)folded:X4}");
            Assert.Equal(folded, TextFolding.Lower[folded]); // once: a folded letter is its own fold
            Assert.Equal(folded, TextFolding.Exact[c]);      // the script has no case
        }
        var alphabet = UrduAlphabet.Split(' ');
        Assert.Equal(alphabet.Length, alphabet.Select(Folded).Distinct().Count());
        Assert.All(alphabet, l => Assert.Equal(l, Folded(l))); // Urdu's own letters are the forms folded to
    }

    [Fact]
    public void Every_decimal_digit_of_every_script_is_its_ascii_digit()
    {
        var digits = Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.DecimalDigitNumber).ToList();
        Assert.InRange(digits.Count, 300, 800);
        Assert.All(digits, d => Assert.Equal((char)('0' + (int)char.GetNumericValue(d)), TextFolding.Lower[d]));
    }
}
