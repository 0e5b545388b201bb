using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Syndication.Hosting;
using Syndication.Storage;
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
        ["FUNCTIONS_WORKER_RUNTIME", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];

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

    /// <summary>The app settings the timer bindings name, such as <c>%PollSchedule%</c>, read from the build's functions.metadata.</summary>
    static IReadOnlyList<string> ScheduleSettings()
    {
        var metadata = Path.Combine(Repo.Root, "functions", "Syndication.Functions", "bin", Repo.Configuration, "net10.0", "functions.metadata");
        return JsonNode.Parse(File.ReadAllText(metadata))!.AsArray()
            .SelectMany(f => f!["bindings"]!.AsArray())
            .Select(b => b!["schedule"]?.GetValue<string>())
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
    public void The_timer_schedule_settings_exist_with_their_defaults()
    {
        Assert.Equal(["DeliverSchedule", "PollSchedule"], ScheduleSettings().Order());
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
    public void Storage_allows_no_keys_and_secrets_are_never_plain_parameters()
    {
        var resources = Arm.Value["resources"]!.AsArray();
        var account = resources.Single(r => r!["type"]!.GetValue<string>() == "Microsoft.Storage/storageAccounts")!["properties"]!;
        Assert.False(account["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(account["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", account["minimumTlsVersion"]!.GetValue<string>());

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
    public void The_template_creates_every_container_the_app_uses()
    {
        var app = new StorageContainers(new Azure.Storage.Blobs.BlobServiceClient("UseDevelopmentStorage=true"), Microsoft.Extensions.Options.Options.Create(new SyndicationOptions()));
        var used = app.All.Select(c => c.Name);

        var created = Arm.Value["variables"]!["containerNames"]!.AsArray().Select(n => n!.GetValue<string>());

        Assert.Equal(used.Order(), created.Order());
    }
}
