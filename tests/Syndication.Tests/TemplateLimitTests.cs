using System.Diagnostics;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Rules;
using Syndication.Telegram;

namespace Syndication.Tests;

/// <summary>
/// Templates are editors' input, loaded on every run: none may hang, crash or leak HTML into a run, and check refuses
/// what a run would refuse. No I/O here: parsing, checking and rendering are pure.
/// </summary>
public sealed class TemplateLimitTests
{
    [Theory]
    [InlineData("{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}", "ran past its limit of 5000 steps")]
    [InlineData("{% for i in (1..100000000) %}{{ i }}{% endfor %}", "spans more than 1000 numbers")]
    [InlineData("{% assign n = 100000000 %}{% for i in (1..n) %}{{ i }}{% endfor %}", "must have whole numbers at both ends")]
    [InlineData("{% include 'secrets' %}", "the 'include' tag is not allowed")]
    [InlineData("{%- render 'x' -%}", "the 'render' tag is not allowed")]
    [InlineData("{% assign t = title %}{% for i in (1..40) %}{% assign t = t | append: t %}{% endfor %}{{ t }}", "over 16384 characters")]
    [InlineData("<b>{{ title | raw }}</b>", "raw")]
    [InlineData("<b>{{ titel }}</b> {{ link }}", "the template uses 'titel', which is not a variable; the variables are title, source")]
    public void A_template_that_would_hang_crash_or_leak_is_refused_quickly_with_the_reason(string template, string reason)
    {
        var clock = Stopwatch.StartNew();
        var error = MessageTemplate.Check(template);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"checking took {clock.Elapsed}");
        Assert.NotNull(error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Check_refuses_the_same_templates_in_a_configuration_with_their_path()
    {
        var json = """
            { "feeds": [{ "id": "f", "url": "https://news.example/feed" }],
              "channels": [{ "id": "desk", "chat": "@desk", "template": "{% include 'x' %}" }],
              "rules": [{ "id": "r", "channels": ["desk"], "anyOf": ["Kayani"] }] }
            """;
        var error = Assert.Throws<ConfigException>(() => ConfigParser.Parse(json, "test"));
        Assert.Contains(error.Errors, e => e.ToString().StartsWith("channels[0].template: template error: the 'include' tag is not allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_template_that_passes_check_but_runs_away_on_a_real_article_falls_back_to_the_built_in_layout()
    {
        // One term in check's sample; forty in the article: 40^4 steps, far past the limit.
        const string template = "{% for a in terms %}{% for b in terms %}{% for c in terms %}{% for d in terms %}.{% endfor %}{% endfor %}{% endfor %}{% endfor %}{{ title }}";
        Assert.Null(MessageTemplate.Check(template));
        var terms = Enumerable.Range(1, 40).Select(i => $"term{i}").ToList();
        var article = new Article("f", "k", "Kayani balks", "https://news.example/a", null, null, [], "Summary.", string.Join(' ', terms) + ".", DateTimeOffset.UnixEpoch, []);
        var channel = new ChannelDefinition("desk", "@desk") { Template = template };

        var clock = Stopwatch.StartNew();
        var (html, error) = MessageFormatter.FormatChecked(article, "Source", [new ArticleMatch("r", terms, ["desk"])], channel);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"rendering took {clock.Elapsed}");
        Assert.StartsWith("<b>Kayani balks</b>\nSource · ", html);
        Assert.Contains("<a href=\"https://news.example/a\">Read more</a>", html);
        Assert.Contains("ran past its limit of 5000 steps", error);
    }

    [Fact]
    public void Feed_html_never_reaches_a_message_through_a_template()
    {
        var article = new Article("f", "k", "<script>alert(1)</script> & <b>bold</b>", "https://news.example/a", null, null, [], "", "Text.", DateTimeOffset.UnixEpoch, []);
        var channel = new ChannelDefinition("desk", "@desk") { Template = "<b>{{ title }}</b> {{ title | upcase }} {{ title | append: '!' }}" };
        var html = MessageFormatter.Format(article, "S", [new ArticleMatch("r", ["Text"], ["desk"])], channel);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>bold", html);
        Assert.Contains("&lt;script&gt;", html);
    }
}
