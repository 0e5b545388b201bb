using Microsoft.Extensions.Configuration;
using Syndication.Hosting;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Every app setting, given a wrong value, reads as one line naming the setting, what it holds and what is allowed: in
/// <see cref="SettingsCheck"/> with no I/O, through the CLI (exit 2, no stack trace), and at the Functions worker's start.
/// A verb checks only the settings it uses.
/// </summary>
public sealed class SettingsTests : IAsyncLifetime
{
    /// <summary>A wrong value for every setting there is; a setting added without one fails <see cref="Every_setting_has_a_wrong_value_to_try"/>.</summary>
    static readonly Dictionary<string, string[]> Wrong = new()
    {
        ["Syndication__Now"] = ["yesterday"],
        ["Syndication__ContainerPrefix"] = ["Desk_A"],
        ["Syndication__MaxConcurrentFeeds"] = ["abc", "0", "257"],
        ["Syndication__StateShards"] = ["many", "5000"],
        ["Syndication__QueueVisibilitySeconds"] = ["1"],
        ["Syndication__FeedsPerBatch"] = ["1.5"],
        ["Syndication__MaxConcurrentPerHost"] = ["65"],
        ["Syndication__SeenItemsPerFeed"] = ["5"],
        ["Syndication__FeedTimeoutSeconds"] = ["30s"],
        ["Syndication__MaxFeedBytes"] = ["10MB", "12"],
        ["Syndication__FeedRetries"] = ["-1"],
        ["Syndication__FeedRetryDelayMilliseconds"] = ["1e9"],
        ["Syndication__FeedBudgetSeconds"] = ["1"],
        ["Syndication__SweepDeadlineSeconds"] = ["0"],
        ["Syndication__MaxItemsPerFeed"] = ["all"],
        ["Syndication__AllowPrivateNetworks"] = ["yes please"],
        ["Syndication__UserAgent"] = [""],
        ["Telegram__BotToken"] = ["not a token secret-part"],
        ["Telegram__ApiBaseUrl"] = ["ftp://bots.example", "http://bots.example:8081"],
        ["Telegram__TimeoutSeconds"] = ["100"],
        ["Telegram__WebhookSecret"] = ["has a space secret-part"],
        ["Delivery__Pace"] = ["maybe"],
        ["Delivery__PerChatIntervalMilliseconds"] = ["fast"],
        ["Delivery__PerChatPerMinute"] = ["0"],
        ["Delivery__PacingMarginMilliseconds"] = ["2000"],
        ["Delivery__GlobalPerSecond"] = ["thirty"],
        ["Delivery__MaxWaitSeconds"] = ["601"],
        ["Delivery__RetryForHours"] = ["1w"],
        ["Delivery__MaxConcurrentChannels"] = ["0"],
    };

    /// <summary>Settings that take any text: a path is checked when it is read.</summary>
    static readonly string[] AnyText = ["Syndication__ConfigPath"];

    static readonly string[] Secrets = ["Telegram__BotToken", "Telegram__WebhookSecret"];

    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    static IConfiguration Settings(params (string Name, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Name.Replace("__", ":"), (string?)v.Value))).Build();

    public static TheoryData<string, string> WrongValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, values) in Wrong)
            foreach (var value in values) data.Add(name, value);
        return data;
    }

    [Fact]
    public void Every_setting_has_a_wrong_value_to_try()
    {
        var settings = SettingsSection.All.SelectMany(s => s.Settings.Select(p => s.NameOf(p.Name))).Order().ToList();

        Assert.Equal(settings, Wrong.Keys.Concat(AnyText).Order());
    }

    [Theory]
    [MemberData(nameof(WrongValues))]
    public void A_wrong_value_is_one_line_naming_the_setting_what_it_holds_and_what_is_allowed(string name, string value)
    {
        var problem = Assert.Single(SettingsCheck.Problems(Settings((name, value)), SettingsSection.All));

        Assert.StartsWith(name + " ", problem);
        Assert.DoesNotContain('\n', problem);
        Assert.Matches("must|not an absolute|does not look like|plain http", problem);
        if (Secrets.Contains(name)) Assert.DoesNotContain("secret-part", problem);
        else if (value.Length > 0) Assert.Contains($"'{value}'", problem);
    }

    [Theory]
    [InlineData("Syndication__MaxConcurrentFeeds", "abc", "Syndication__MaxConcurrentFeeds is 'abc', but it must be a whole number from 1 to 256.")]
    [InlineData("Syndication__MaxFeedBytes", "12", "Syndication__MaxFeedBytes is '12', but it must be a whole number from 1,024 to 104,857,600.")]
    [InlineData("Delivery__Pace", "maybe", "Delivery__Pace is 'maybe', but it must be true or false.")]
    [InlineData("Telegram__TimeoutSeconds", "100", "Telegram__TimeoutSeconds is '100', but it must be a whole number from 1 to 45.")]
    [InlineData("Syndication__MaxConcurentFeeds", "3", "Syndication__MaxConcurentFeeds is not a setting; did you mean Syndication__MaxConcurrentFeeds?")]
    [InlineData("ArticleStorage", "garbage", "ArticleStorage is not a storage connection string (Settings must be of the form \"name=value\"); set it to UseDevelopmentStorage=true for Azurite, or to the account's connection string from the portal.")]
    public void The_line_reads_so(string name, string value, string line)
    {
        var settings = Settings((name, value));

        Assert.Equal(line, SettingsCheck.Problems(settings, SettingsSection.All).Concat([SettingsCheck.StorageProblem(settings)]).OfType<string>().Single());
    }

    [Theory]
    [InlineData("ArticleStorage", "UseDevelopmentStorage=true", "Using the Azurite at 127.0.0.1:10000 (ArticleStorage=UseDevelopmentStorage=true), whoever started it. For the storage scripts/sweep.sh keeps, run the verb with 'bash scripts/local.sh'.")]
    [InlineData("AzureWebJobsStorage", "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1", "Using the Azurite at 127.0.0.1:10000 (AzureWebJobsStorage=UseDevelopmentStorage=true), whoever started it. For the storage scripts/sweep.sh keeps, run the verb with 'bash scripts/local.sh'.")]
    [InlineData("ArticleStorage", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;BlobEndpoint=http://127.0.0.1:40751/devstoreaccount1;", null)]
    public void The_shared_development_storage_is_never_used_without_a_word(string setting, string value, string? notice) =>
        Assert.Equal(notice, Syndication.Cli.CliSettings.StorageNotice(Settings((setting, value))));

    [Fact]
    public void Right_values_and_no_values_are_no_problem()
    {
        var settings = Settings(("Syndication__MaxConcurrentFeeds", "64"), ("Delivery__Pace", "false"), ("Telegram__BotToken", "123456:abc-DEF"),
            ("Telegram__ApiBaseUrl", "http://127.0.0.1:8081"), ("Syndication__Now", "2026-11-28T07:00:00Z"), ("ArticleStorage", "UseDevelopmentStorage=true"));

        Assert.Empty(SettingsCheck.Problems(settings, SettingsSection.All));
        Assert.Null(SettingsCheck.StorageProblem(settings));
        Assert.Empty(SettingsCheck.Problems(Settings(), SettingsSection.All));
    }

    [Fact]
    public async Task The_cli_prints_every_wrong_setting_as_one_line_and_exits_2_without_a_stack_trace()
    {
        var wrong = Wrong.ToDictionary(w => w.Key, w => w.Value[0]);
        wrong["ArticleStorage"] = "garbage AccountKey=secret-part";

        // listen reads every section and storage, so it checks them all.
        var result = await CliProcess.RunAsync(app, wrong, "listen", "--for", "1s");

        Assert.Equal(2, result.ExitCode);
        var lines = result.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Wrong.Count + 1, lines.Length);
        Assert.All(Wrong.Keys, name => Assert.Single(lines, l => l.StartsWith(name + " ")));
        Assert.Single(lines, l => l.StartsWith("ArticleStorage is not a storage connection string"));
        Assert.DoesNotContain("secret-part", result.Errors + result.Output);
        Assert.DoesNotContain("   at ", result.Errors);
        Assert.DoesNotContain("Exception", result.Errors);
        Assert.Equal(0, app.Bot.Requests);
    }

    [Fact]
    public async Task A_verb_checks_only_the_settings_it_uses()
    {
        var config = app.WriteConfig(new
        {
            feeds = new[] { new { id = "pt", url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(TestClock.Start.AddHours(-1)))), backfill = 1 } },
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
        var badTelegram = new Dictionary<string, string> { ["Telegram__BotToken"] = "bad", ["Telegram__TimeoutSeconds"] = "100" };

        // Before: both printed an OptionsValidationException stack trace and exited 2, though neither uses Telegram.
        var status = await CliProcess.RunAsync(app, badTelegram, "status", "--config", config);
        var dry = await CliProcess.RunAsync(app, badTelegram, "run", "--dry-run", "--config", config);
        var check = await CliProcess.RunAsync(app, new() { ["Delivery__Pace"] = "maybe", ["Telegram__BotToken"] = "bad" }, "check", "--config", config);
        var sending = await CliProcess.RunAsync(app, badTelegram, "run", "--config", config);

        Assert.True(status.ExitCode == 0, status.Errors);
        Assert.True(dry.ExitCode == 0, dry.Errors);
        Assert.Contains("1 alert to send (dry run, nothing sent)", dry.Output);
        Assert.True(check.ExitCode == 0, check.Errors);
        Assert.Equal(2, sending.ExitCode);
        Assert.Equal(
            ["Telegram__BotToken does not look like a bot token (digits, a colon, then letters, digits, '-' or '_'); copy it again from @BotFather.",
             "Telegram__TimeoutSeconds is '100', but it must be a whole number from 1 to 45."],
            sending.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
        Assert.Empty(app.Bot.Messages);
    }

    [Fact]
    public async Task The_functions_worker_stops_at_start_with_the_same_line()
    {
        var settings = new Dictionary<string, string?>(app.ProcessSettings())
        {
            ["AzureWebJobsStorage"] = app.Settings["ArticleStorage"],
            ["Syndication:MaxConcurrentFeeds"] = "abc",
            ["Delivery:Pace"] = "maybe",
        };

        var error = await Assert.ThrowsAsync<WorkerExitedException>(() => FunctionsHost.StartAsync(settings));

        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains("Syndication__MaxConcurrentFeeds is 'abc', but it must be a whole number from 1 to 256.", error.Output);
        Assert.Contains("Delivery__Pace is 'maybe', but it must be true or false.", error.Output);
        Assert.DoesNotContain("Failed to convert configuration value", error.Output);
    }
}
