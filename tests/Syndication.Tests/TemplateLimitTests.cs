using System.Diagnostics;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Rules;
using Syndication.Syntax;
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

    // Before: each passed check, and Telegram refused every alert of the channel, with no fallback.
    [Theory]
    [InlineData("<span>{{ title }}</span>", "a span must be class=\"tg-spoiler\"")]
    [InlineData("<blockquote><blockquote>{{ title }}</blockquote></blockquote>", "a blockquote inside a blockquote")]
    [InlineData("<a href=\"{{ link }}\"><a href=\"{{ link }}\">{{ title }}</a></a>", "<a> inside <a>")]
    [InlineData("<code><b>{{ title }}</b></code>", "<b> inside <code>, which can contain no other entity")]
    [InlineData("{% if link == blank %}<i>{% endif %}{{ title }}", "unclosed tag \"i\"")] // only an article without a link shows it
    public void Check_renders_the_template_on_sample_articles_and_refuses_what_Telegram_would(string template, string reason)
    {
        var error = MessageTemplate.Check(template);
        Assert.NotNull(error);
        Assert.StartsWith("Telegram would refuse the template's message for ", error);
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("<span class=\"tg-spoiler\">{{ title }}</span>")]
    [InlineData("<blockquote expandable><b>{{ title }}</b>\n{{ summary }}</blockquote>")]
    [InlineData("<pre><code class=\"language-text\">{{ title }}</code></pre>")]
    [InlineData("<b><a href=\"{{ link }}\">{{ title }}</a></b> <i>{{ source }}</i>")]
    public void Templates_Telegram_accepts_pass_check(string template) => Assert.Null(MessageTemplate.Check(template));

    [Fact]
    public void A_template_whose_message_Telegram_would_refuse_for_one_article_falls_back_to_the_built_in_layout_for_it()
    {
        const string template = "{% if title contains 'Kayani' %}<span>{% endif %}<b>{{ title }}</b>{% if title contains 'Kayani' %}</span>{% endif %}";
        Assert.Null(MessageTemplate.Check(template)); // the samples do not show it
        var article = new Article("f", "k", "Kayani balks", "https://news.example/a", null, null, [], "Summary.", "Text.", DateTimeOffset.UnixEpoch, []);

        var (html, error) = MessageFormatter.FormatChecked(article, "Source", [new ArticleMatch("r", ["Kayani"], ["desk"])], new ChannelDefinition("desk", "@desk") { Template = template });

        Assert.StartsWith("<b>Kayani balks</b>\nSource · ", html);
        Assert.Contains("Telegram would refuse the message (can't parse entities: a span must be class=\"tg-spoiler\"", error);
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
