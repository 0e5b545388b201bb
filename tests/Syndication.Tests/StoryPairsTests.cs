using System.Globalization;
using Syndication.Articles;
using Xunit.Abstractions;

namespace Syndication.Tests;

/// <summary>
/// The same-story rule measured on 428 labelled pairs of real headlines from the UCI News Aggregator dataset: different
/// outlets' headlines for one event, and different stories on one topic (<c>testdata/story-pairs/README.md</c>). No I/O
/// beyond reading the file.
/// </summary>
public sealed class StoryPairsTests(ITestOutputHelper output)
{
    sealed record Pair(bool Same, string TitleA, string TitleB, TimeSpan Apart);

    static readonly IReadOnlyList<Pair> Pairs = Load();

    static List<Pair> Load()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "testdata", "story-pairs", "story-pairs.tsv"));
        var header = lines[0].Split('\t').Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
        return [.. lines.Skip(1).Select(line => line.Split('\t')).Select(f => new Pair(
            f[header["same"]] == "1", f[header["title_a"]], f[header["title_b"]],
            TimeSpan.FromMinutes(int.Parse(f[header["minutes_a"]], CultureInfo.InvariantCulture) - int.Parse(f[header["minutes_b"]], CultureInfo.InvariantCulture))))];
    }

    sealed record Score(double Threshold, int Merged, int FalseMerges, int Missed, double Precision, double Recall)
    {
        /// <summary>F0.5: precision counts twice, since a false merge costs a subscriber a story and a miss only a repeat.</summary>
        public double F05 => Precision + Recall == 0 ? 0 : 1.25 * Precision * Recall / (0.25 * Precision + Recall);
    }

    /// <summary>The rule as a feed's alert meets it (headline, no lead), with the headline threshold given.</summary>
    static Score Measure(double sameTitle)
    {
        int truePositive = 0, falseMerges = 0, missed = 0;
        foreach (var pair in Pairs)
        {
            var one = StoryFingerprint.OneStory(
                StoryFingerprint.Shingles(pair.TitleA, ""), StoryFingerprint.TitleWords(pair.TitleA),
                StoryFingerprint.Shingles(pair.TitleB, ""), StoryFingerprint.TitleWords(pair.TitleB), pair.Apart, sameTitle);
            if (one && pair.Same) truePositive++;
            else if (one) falseMerges++;
            else if (pair.Same) missed++;
        }
        var merged = truePositive + falseMerges;
        return new(sameTitle, merged, falseMerges, missed, merged == 0 ? 1 : (double)truePositive / merged, (double)truePositive / (truePositive + missed));
    }

    static readonly double[] Thresholds = [0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 1.01];

    [Fact]
    public void The_set_has_at_least_200_pairs_of_each_kind_and_its_labels_follow_its_events()
    {
        Assert.True(Pairs.Count >= 200, $"{Pairs.Count} pairs");
        Assert.True(Pairs.Count(p => p.Same) >= 100 && Pairs.Count(p => !p.Same) >= 100, "both kinds are well represented");

        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "testdata", "story-pairs", "story-pairs.tsv"));
        var header = lines[0].Split('\t').Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i);
        foreach (var f in lines.Skip(1).Select(l => l.Split('\t')))
            Assert.Equal(f[header["event_a"]] == f[header["event_b"]] ? "1" : "0", f[header["same"]]);
    }

    [Fact]
    public void The_headline_threshold_is_the_one_with_the_best_F05_and_its_precision_and_recall_hold()
    {
        var scores = Thresholds.Select(Measure).ToList();
        foreach (var s in scores)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"headline threshold {s.Threshold:0.00}: merged {s.Merged}, false merges {s.FalseMerges}, missed {s.Missed}, precision {s.Precision:0.000}, recall {s.Recall:0.000}, F0.5 {s.F05:0.000}"));

        var chosen = scores.Single(s => s.Threshold == StoryFingerprint.SameTitle);
        Assert.Equal(scores.Max(s => s.F05), chosen.F05);
        // The figures in the README: 0.970 and 0.626 on this set. A change to the rule that loses either shows here.
        Assert.InRange(chosen.Precision, 0.965, 1);
        Assert.InRange(chosen.Recall, 0.62, 1);
        // Copied text alone (no headline rule) merges less and never wrongly here: the headline rule is what finds reworded headlines.
        var copiedOnly = scores.Single(s => s.Threshold > 1);
        Assert.True(copiedOnly.Recall < chosen.Recall - 0.3, $"copied text alone finds {copiedOnly.Recall:0.000}");
    }

    [Theory]
    [InlineData("Stock Market News for March 10, 2014", "Stock Market News for March 11, 2014", 0, false)]
    [InlineData("McDonald's February same-restaurant sales fall 0.3 percent", "McDonald's February same-restaurant sales fall 0.3%", 0, true)]
    [InlineData("10 Things You Need To Know Before The Opening Bell", "10 Things You Need To Know Before The Opening Bell", 24 * 60, false)]
    [InlineData("10 Things You Need To Know Before The Opening Bell", "10 Things You Need To Know Before The Opening Bell", 60, true)]
    [InlineData("وزیراعظم کا قوم سے خطاب آج رات", "وزیراعظم آج رات قوم سے خطاب کریں گے", 30, true)]
    [InlineData("Kayani fast 1", "Kayani slow 1", 0, false)]
    [InlineData("Petrol up to Rs 281.40 a litre from Monday", "Petrol up to Rs 281.50 a litre from Monday", 0, false)]
    [InlineData("Pakistan beat India 3-1 in the hockey final", "India beat Pakistan 1-3 in the hockey final", 0, false)]
    public void Headlines_are_one_story_only_close_in_time_and_without_a_number_apart(string a, string b, int minutesApart, bool one) =>
        // Each with its own lead, as a daily column's issues have: only the headline rule can make them one.
        Assert.Equal(one, StoryFingerprint.OneStory(
            StoryFingerprint.Shingles(a, "Asian markets slid overnight after weak export figures from China and Japan."), StoryFingerprint.TitleWords(a),
            StoryFingerprint.Shingles(b, "The central bank's governor spoke to lawmakers on Tuesday about the inflation outlook."), StoryFingerprint.TitleWords(b),
            TimeSpan.FromMinutes(minutesApart)));
}
