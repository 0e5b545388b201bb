using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Syndication.Hosting;
using Syndication.Settings;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The Bicep templates build, lint and are formatted, offline, with the Bicep CLI from NuGet; and the settings the app
/// needs (read from its options classes and its function bindings) are the settings the template and the local sample set.
/// </summary>
public sealed class InfraTests
{
    static readonly string Infra = Path.Combine(Repo.Root, "infra");
    static readonly string Bicep = typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;

    // Not a real token, and not shaped like one: build-params only needs the variable to exist.
    static readonly Dictionary<string, string> ParamsEnvironment = new() { ["TELEGRAM_BOT_TOKEN"] = "placeholder-for-template-checks" };

    /// <summary>Settings the Functions host or Azure itself reads, which no options class of ours declares.</summary>
    static readonly HashSet<string> HostSettings =
        ["FUNCTIONS_WORKER_RUNTIME", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
         "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"];

    static (int ExitCode, string Output) RunBicep(Dictionary<string, string>? environment, params string[] args)
    {
        // NuGet does not keep the executable bit for every user; the CLI needs it.
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(Bicep).HasFlag(UnixFileMode.UserExecute))
            File.SetUnixFileMode(Bicep, File.GetUnixFileMode(Bicep) | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo(Bicep) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Infra };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) { process.Kill(); throw new TimeoutException($"bicep {string.Join(' ', args)} did not finish"); }
        return (process.ExitCode, output.Result + errors.Result);
    }

    /// <summary>bicep lint exits 0 on warnings, and a misspelt property is only a warning, so any diagnostic line fails.</summary>
    static void AssertClean((int ExitCode, string Output) result, string what)
    {
        var diagnostics = result.Output.Split('\n').Where(l => l.Contains(": Warning ") || l.Contains(": Error ")).ToList();
        Assert.True(result.ExitCode == 0 && diagnostics.Count == 0, $"{what} (exit {result.ExitCode}):\n{string.Join('\n', diagnostics)}\n{(diagnostics.Count == 0 ? result.Output : "")}");
    }

    static readonly Lazy<JsonNode> Arm = new(() =>
    {
        var (exitCode, output) = RunBicep(null, "build", "main.bicep", "--stdout");
        Assert.Equal(0, exitCode);
        return JsonNode.Parse(output)!;
    });

    static IReadOnlyList<string> BicepAppSettings()
    {
        var site = Arm.Value["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Web/sites")!;
        return site["properties"]!["siteConfig"]!["appSettings"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToList();
    }

    static IReadOnlyList<string> SampleSettings() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "local.settings.sample.json")))!["Values"]!.AsObject().Select(p => p.Key).ToList();

    /// <summary>Every options class (it has a <c>Section</c> constant) and its settings, as app settings spell them.</summary>
    static IEnumerable<(string Name, bool Required)> OptionsSettings() =>
        typeof(SyndicationOptions).Assembly.GetTypes()
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null && t.Type.Name.EndsWith("Options"))
            .SelectMany(t => t.Type.GetProperties().Where(p => p.CanWrite)
                .Select(p => ($"{t.Section}__{p.Name}", p.GetCustomAttribute<RequiredSettingAttribute>() is not null)));

    /// <summary>
    /// The app settings the trigger bindings name, such as <c>%PollSchedule%</c> or <c>%FeedQueue%</c>, read from the build's
    /// functions.metadata.
    /// </summary>
    static IReadOnlyList<string> ScheduleSettings()
    {
        var metadata = Path.Combine(Repo.Root, "functions", "Syndication.Functions", "bin", Repo.Configuration, "net10.0", "functions.metadata");
        return JsonNode.Parse(File.ReadAllText(metadata))!.AsArray()
            .SelectMany(f => f!["bindings"]!.AsArray())
            .Select(b => (b!["schedule"] ?? b["queueName"])?.GetValue<string>())
            .OfType<string>().Where(s => s.StartsWith('%') && s.EndsWith('%')).Select(s => s.Trim('%')).ToList();
    }

    static HashSet<string> KnownSettings() =>
    [
        .. OptionsSettings().Select(s => s.Name),
        .. ScheduleSettings(),
        .. HostSettings,
        .. ServiceCollectionExtensions.StorageSections,
        .. ServiceCollectionExtensions.StorageSections.SelectMany(section => ServiceCollectionExtensions.StorageKeys.Select(key => $"{section}__{key}")),
    ];

    static IEnumerable<string> RequiredSettings() =>
        OptionsSettings().Where(s => s.Required).Select(s => s.Name).Concat(ScheduleSettings());

    [Fact]
    public void The_templates_build_lint_and_are_formatted_with_zero_warnings()
    {
        AssertClean(RunBicep(null, "build", "main.bicep", "--stdout"), "bicep build main.bicep");
        AssertClean(RunBicep(null, "lint", "main.bicep"), "bicep lint main.bicep");
        AssertClean(RunBicep(ParamsEnvironment, "build-params", "main.bicepparam", "--stdout"), "bicep build-params main.bicepparam");
        AssertClean(RunBicep(ParamsEnvironment, "lint", "main.bicepparam"), "bicep lint main.bicepparam");
        foreach (var file in new[] { "main.bicep", "main.bicepparam" })
        {
            var (exitCode, formatted) = RunBicep(null, "format", file, "--stdout");
            Assert.Equal(0, exitCode);
            Assert.True(formatted == File.ReadAllText(Path.Combine(Infra, file)), $"{file} is not formatted; run: bicep format infra/{file}");
        }
    }

    [Fact]
    public void The_function_app_sets_every_setting_the_app_requires()
    {
        var settings = BicepAppSettings();

        Assert.NotEmpty(RequiredSettings());
        foreach (var required in RequiredSettings())
            Assert.True(settings.Contains(required), $"infra/main.bicep does not set the required app setting '{required}'");
        Assert.Contains(settings, s => s.StartsWith(ServiceCollectionExtensions.StorageSections[0], StringComparison.Ordinal));
    }

    [Fact]
    public void The_host_refuses_a_webhook_body_over_the_receivers_limit_before_the_worker_sees_it()
    {
        // Before: three unauthenticated requests (1 KB, then 50 MB twice) took the worker from 72 MB to 609 MB, each
        // answered 401: the host hands the whole body to the worker, which could look at the secret only then.
        var site = Arm.Value["resources"]!.AsArray().Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Web/sites")!;
        var limit = site["properties"]!["siteConfig"]!["appSettings"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT")!;
        Assert.Equal(Syndication.Editing.WebhookReceiver.MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture), limit["value"]!.GetValue<string>());
    }

    [Fact]
    public void Every_setting_in_the_template_is_one_the_app_or_host_reads()
    {
        var known = KnownSettings();

        foreach (var setting in BicepAppSettings())
            Assert.True(known.Contains(setting), $"infra/main.bicep sets '{setting}', which nothing reads; a typo?");
    }

    [Fact]
    public void The_local_settings_sample_has_every_required_setting_and_nothing_unknown()
    {
        var sample = SampleSettings();
        var known = KnownSettings();

        foreach (var required in RequiredSettings())
            Assert.True(sample.Contains(required), $"local.settings.sample.json lacks the required setting '{required}'");
        foreach (var setting in sample)
            Assert.True(known.Contains(setting), $"local.settings.sample.json sets '{setting}', which nothing reads; a typo?");
    }

    [Fact]
    public void The_trigger_settings_exist_with_their_defaults()
    {
        Assert.Equal(["DeliverSchedule", "DeliveryQueue", "FeedQueue", "PollSchedule"], ScheduleSettings().Order());
        Assert.Equal("0 */5 * * * *", Arm.Value["parameters"]!["pollSchedule"]!["defaultValue"]!.GetValue<string>());
        Assert.Equal("0 * * * * *", Arm.Value["parameters"]!["deliverSchedule"]!["defaultValue"]!.GetValue<string>());
    }

    [Fact]
    public void Host_json_sets_a_timeout_that_suits_flex_consumption()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "host.json")));
        var timeout = TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!);

        // Flex Consumption defaults to 30 minutes; a sweep that takes longer is stuck, and the next timer run takes over.
        Assert.InRange(timeout, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));
    }

    [Fact]
    public void Host_json_takes_queue_messages_as_the_scheduler_sizes_batches_for()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "host.json")));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");

        // The host takes batchSize messages whenever no more than newBatchThreshold are running: the consumers here do
        // the same, and the scheduler cuts batches so that this many fill an instance's feed slots.
        Assert.Equal(QueueRunner.HostBatchSize, queues.GetProperty("batchSize").GetInt32());
        Assert.Equal(QueueRunner.HostNewBatchThreshold, queues.GetProperty("newBatchThreshold").GetInt32());
        Assert.Equal(4, QueueRunner.BatchesPerInstance);
        Assert.Equal(new BatchSizing(250, 2, 8), BatchSizing.From(new SyndicationOptions()));
    }

    static IEnumerable<JsonNode> Resources(string type) =>
        Arm.Value["resources"]!.AsArray().Where(r => r!["type"]!.GetValue<string>() == type).Select(r => r!);

    /// <summary>A value, with a bare <c>[variables('name')]</c> expression replaced by the variable it names.</summary>
    static JsonNode? Resolved(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && System.Text.RegularExpressions.Regex.Match(text, @"^\[variables\('(\w+)'\)\]$") is { Success: true } m
            ? Arm.Value["variables"]![m.Groups[1].Value]
            : node;

    static string Scope(JsonNode resource) => resource["scope"]?.GetValue<string>() ?? "";

    /// <summary>A node as text: a string as it stands, anything else as JSON with nothing escaped (ARM expressions quote with ').</summary>
    static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) ? text
        : node?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";

    [Fact]
    public void Storage_allows_no_keys_and_secrets_are_never_plain_parameters()
    {
        var accounts = Resources("Microsoft.Storage/storageAccounts").ToList();
        Assert.Equal(2, accounts.Count); // the host's, and the app's data
        // Both accounts take their hardening from one variable (the data account adds its network switch to it).
        Assert.All(accounts, a => Assert.Contains("variables('storageProperties')", Text(a["properties"])));
        foreach (var account in new[] { Arm.Value["variables"]!["storageProperties"]! })
        {
            Assert.False(account["allowSharedKeyAccess"]!.GetValue<bool>(), "storage accepts shared keys: allowSharedKeyAccess must be false");
            Assert.False(account["allowBlobPublicAccess"]!.GetValue<bool>(), "storage allows anonymous reads: allowBlobPublicAccess must be false");
            Assert.Equal("TLS1_2", account["minimumTlsVersion"]!.GetValue<string>());
            Assert.True(account["supportsHttpsTrafficOnly"]!.GetValue<bool>(), "storage accepts plain http: supportsHttpsTrafficOnly must be true");
        }

        foreach (var (name, parameter) in Arm.Value["parameters"]!.AsObject())
        {
            Assert.NotNull(parameter!["metadata"]?["description"]);
            if (name.Contains("token", StringComparison.OrdinalIgnoreCase) || name.Contains("secret", StringComparison.OrdinalIgnoreCase))
                Assert.Equal("securestring", parameter["type"]!.GetValue<string>());
        }

        var text = Arm.Value.ToJsonString();
        Assert.DoesNotContain("listKeys", text);
        Assert.DoesNotContain("AccountKey=", text);
    }

    [Fact]
    public void The_config_publisher_may_write_the_config_container_and_nothing_else()
    {
        var publisher = Resources("Microsoft.Authorization/roleAssignments").Where(r => Text(r["properties"]!["principalId"]).Contains("parameters('principalId')")).ToList();

        var grant = Assert.Single(publisher);
        Assert.True(Scope(grant).Contains("containers") && Scope(grant).Contains("'config'"),
            $"the publisher's role must be scoped to the config container, not {Scope(grant)}: with the whole account they could replace the deployed package");
        Assert.Contains("storageBlobDataContributor", Text(grant["properties"]!["roleDefinitionId"]));
    }

    [Fact]
    public void The_apps_identity_has_owner_only_on_the_hosts_own_storage_and_contributor_on_its_data()
    {
        var grants = Resources("Microsoft.Authorization/roleAssignments").Where(r => Text(r["properties"]!["principalId"]).Contains("userAssignedIdentities")).ToList();

        var owners = grants.Where(g => Text(g["properties"]!["roleDefinitionId"]).Contains("storageBlobDataOwner")).ToList();
        var owner = Assert.Single(owners);
        Assert.True(Scope(owner).Contains("sthost"), $"Storage Blob Data Owner must be limited to the host's account (the package and timer locks), not {Scope(owner)}");
        Assert.Contains(grants, g => Scope(g).Contains("stsynd") && Text(g["properties"]!["roleDefinitionId"]).Contains("storageBlobDataContributor"));
        Assert.Contains(grants, g => Scope(g).Contains("stsynd") && Text(g["properties"]!["roleDefinitionId"]).Contains("storageQueueDataContributor"));
        // The data account's roles are data roles: no one gets Owner or Contributor on the resource itself.
        Assert.DoesNotContain(grants, g => Text(g["properties"]!["roleDefinitionId"]).Contains("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"));
    }

    [Fact]
    public void Storage_vault_and_app_logs_go_to_log_analytics_which_takes_no_shared_keys()
    {
        var settings = Resources("Microsoft.Insights/diagnosticSettings").ToList();
        string[] Categories(JsonNode setting) => [.. Resolved(setting["properties"]!["logs"])!.AsArray().Where(l => l!["enabled"]!.GetValue<bool>()).Select(l => l!["category"]!.GetValue<string>())];

        foreach (var account in new[] { "stsynd", "sthost" })
        {
            var blobs = settings.SingleOrDefault(s => Scope(s).Contains("blobServices") && Scope(s).Contains(account));
            Assert.True(blobs is not null, $"no diagnostic setting sends the {account} account's blob reads, writes and deletes to Log Analytics");
            Assert.Equal(["StorageDelete", "StorageRead", "StorageWrite"], Categories(blobs!).Order());
        }
        var vault = settings.SingleOrDefault(s => Scope(s).Contains("Microsoft.KeyVault/vaults"));
        Assert.True(vault is not null && Categories(vault).Contains("AuditEvent"), "Key Vault's audit events (who read the token) must go to Log Analytics");
        var app = settings.SingleOrDefault(s => Scope(s).Contains("Microsoft.Web/sites"));
        Assert.True(app is not null && Categories(app).Contains("FunctionAppLogs"), "the app's logs must go to Log Analytics");
        Assert.All(settings, s => Assert.Contains("Microsoft.OperationalInsights/workspaces", Text(s["properties"]!["workspaceId"])));

        var workspace = Assert.Single(Resources("Microsoft.OperationalInsights/workspaces"));
        Assert.True(workspace["properties"]!["features"]?["disableLocalAuth"]?.GetValue<bool>() == true, "Log Analytics must refuse shared keys: features.disableLocalAuth must be true");
    }

    [Fact]
    public void Deleted_or_overwritten_data_and_the_token_can_be_recovered()
    {
        var vault = Assert.Single(Resources("Microsoft.KeyVault/vaults"))["properties"]!;
        Assert.True(vault["enablePurgeProtection"]?.GetValue<bool>() == true, "Key Vault must have purge protection (enablePurgeProtection)");
        Assert.True(vault["enableSoftDelete"]?.GetValue<bool>() == true, "Key Vault must have soft delete");

        var data = Resources("Microsoft.Storage/storageAccounts/blobServices").Single(b => Text(b["name"]).Contains("stsynd"))["properties"]!;
        Assert.True(data["isVersioningEnabled"]?.GetValue<bool>() == true, "blob versioning must be on: an overwritten configuration or outbox entry keeps its earlier version");
        foreach (var policy in new[] { "deleteRetentionPolicy", "containerDeleteRetentionPolicy" })
        {
            Assert.True(data[policy]?["enabled"]?.GetValue<bool>() == true, $"{policy} must be enabled");
            Assert.Equal("[parameters('recoveryDays')]", data[policy]!["days"]!.GetValue<string>());
        }
        Assert.Equal(14, Arm.Value["parameters"]!["recoveryDays"]!["defaultValue"]!.GetValue<int>());
        // Versions are not kept for ever: the lifecycle policy deletes them after the same number of days.
        Assert.Contains("\"version\"", Text(Assert.Single(Resources("Microsoft.Storage/storageAccounts/managementPolicies"))));
    }

    [Fact]
    public void Basic_auth_publishing_is_off_and_only_https_reaches_the_app()
    {
        var policies = Resources("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        foreach (var kind in new[] { "ftp", "scm" })
        {
            var policy = policies.SingleOrDefault(p => Text(p["name"]).Contains($"'{kind}'"));
            Assert.True(policy is not null && policy["properties"]!["allow"]!.GetValue<bool>() == false, $"basic-auth publishing over {kind} must be disabled");
        }
        var site = Assert.Single(Resources("Microsoft.Web/sites"))["properties"]!;
        Assert.True(site["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("Disabled", site["siteConfig"]!["ftpsState"]!.GetValue<string>());
        Assert.Contains("https", Arm.Value["parameters"]!["telegramApiBaseUrl"]!["metadata"]!["description"]!.GetValue<string>());
    }

    [Fact]
    public void Private_networking_is_a_parameter_off_by_default_that_closes_the_data_account_and_the_vault()
    {
        Assert.False(Arm.Value["parameters"]!["privateNetworking"]!["defaultValue"]!.GetValue<bool>());
        foreach (var type in new[] { "Microsoft.Network/virtualNetworks", "Microsoft.Network/privateEndpoints", "Microsoft.Network/privateDnsZones" })
        {
            var resource = Resources(type).FirstOrDefault();
            Assert.True(resource is not null, $"privateNetworking creates no {type}");
            Assert.Contains("privateNetworking", Text(resource!["condition"]));
        }
        var endpoints = Arm.Value["variables"]!["privateEndpoints"]!.AsArray().Select(e => e!["name"]!.GetValue<string>());
        Assert.Equal(["blob", "queue", "vault"], endpoints.Order());
        var data = Resources("Microsoft.Storage/storageAccounts").Single(a => Text(a["name"]).Contains("stsynd"));
        Assert.Contains("privateNetworking", Text(data["properties"]));
        Assert.Contains("privateNetworking", Text(Assert.Single(Resources("Microsoft.KeyVault/vaults"))["properties"]!["publicNetworkAccess"]));
        Assert.Contains("privateNetworking", Text(Assert.Single(Resources("Microsoft.Web/sites"))["properties"]!["virtualNetworkSubnetId"]));
    }

    [Fact]
    public void Operators_are_alerted_when_sweeps_stop_alerts_die_or_wait_and_channels_or_feeds_fail()
    {
        var rules = Arm.Value["variables"]!["alertRules"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>());
        Assert.Equal(["alerts-waiting", "channel-failing", "dead-letter", "feed-broken", "no-sweep", "poison"], rules.Keys.Order());
        Assert.Equal("PT20M", rules["no-sweep"]!["window"]!.GetValue<string>());
        Assert.Contains("900", rules["alerts-waiting"]!["query"]!.GetValue<string>()); // 15 minutes
        var scheduled = Assert.Single(Resources("Microsoft.Insights/scheduledQueryRules"));
        Assert.Contains("actionGroups", Text(scheduled["properties"]!["actions"]));
        Assert.NotNull(Arm.Value["parameters"]!["alertEmail"]);

        // Each query looks for a line the app really writes, or the instrument it really exports.
        var sources = string.Join('\n', Directory.EnumerateFiles(Path.Combine(Repo.Root, "functions", "Syndication"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (var phrase in new[] { "Sweep done", "moved to dead letters", " broken: ", "Could not send", "syndication.outbox.oldest_pending_age", "was set aside in" })
        {
            Assert.Contains(rules.Values, r => r!["query"]!.GetValue<string>().Contains(phrase));
            Assert.True(sources.Contains(phrase.Trim()), $"an alert rule looks for '{phrase}', which the app never writes");
        }
    }

    [Fact]
    public void The_template_creates_every_queue_the_app_uses_and_its_settings_name_them()
    {
        var configuration = Microsoft.Extensions.Configuration.MemoryConfigurationBuilderExtensions.AddInMemoryCollection(new Microsoft.Extensions.Configuration.ConfigurationBuilder(), new Dictionary<string, string?>
        {
            [WorkQueues.FeedQueueSetting] = "feed-batches", [WorkQueues.DeliveryQueueSetting] = "deliveries",
        }).Build();
        var queues = new WorkQueues(new Azure.Storage.Queues.QueueServiceClient("UseDevelopmentStorage=true"), configuration, Microsoft.Extensions.Options.Options.Create(new SyndicationOptions()));
        var created = Arm.Value["variables"]!["queueNames"]!.AsArray().Select(n => n!.GetValue<string>()).Order();

        Assert.Equal(queues.All.Select(q => q.Name).Order(), created);
        var site = Assert.Single(Resources("Microsoft.Web/sites"));
        foreach (var setting in new[] { WorkQueues.FeedQueueSetting, WorkQueues.DeliveryQueueSetting })
            Assert.Contains(site["properties"]!["siteConfig"]!["appSettings"]!.AsArray(), s => s!["name"]!.GetValue<string>() == setting && created.Contains(s["value"]!.GetValue<string>()));
        Assert.Equal(40, Arm.Value["parameters"]!["maximumInstanceCount"]!["defaultValue"]!.GetValue<int>());
        // How many batches an instance takes is the scheduler's assumption (QueueRunner's), so no app setting changes it.
        Assert.DoesNotContain(site["properties"]!["siteConfig"]!["appSettings"]!.AsArray(), s => s!["name"]!.GetValue<string>().Contains("extensions__queues", StringComparison.Ordinal));
    }

    [Fact]
    public void The_template_creates_every_container_the_app_uses()
    {
        var app = new StorageContainers(new Azure.Storage.Blobs.BlobServiceClient("UseDevelopmentStorage=true"), Microsoft.Extensions.Options.Options.Create(new SyndicationOptions()));
        var used = app.All.Select(c => c.Name);

        var created = Arm.Value["variables"]!["containerNames"]!.AsArray().Select(n => n!.GetValue<string>());

        Assert.Equal(used.Order(), created.Order());
    }
}
