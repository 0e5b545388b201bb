using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Primitives;
using Syndication.Settings;
using Syndication.Telegram;

namespace Syndication.Hosting;

/// <summary>One section of app settings (<c>Syndication__*</c>, <c>Telegram__*</c>, <c>Delivery__*</c>) and the options class it binds to.</summary>
public sealed record SettingsSection(string Name, Type Options)
{
    public static readonly SettingsSection Syndication = new(SyndicationOptions.Section, typeof(SyndicationOptions));
    public static readonly SettingsSection Telegram = new(TelegramOptions.Section, typeof(TelegramOptions));
    public static readonly SettingsSection Delivery = new(DeliveryOptions.Section, typeof(DeliveryOptions));
    public static readonly IReadOnlyList<SettingsSection> All = [Syndication, Telegram, Delivery];

    /// <summary>The settings this section has, by property name.</summary>
    public IReadOnlyList<PropertyInfo> Settings { get; } =
        [.. Options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetSetMethod() is not null)];

    /// <summary>The name an operator sets it by, in the environment or an app setting: <c>Syndication__MaxConcurrentFeeds</c>.</summary>
    public string NameOf(string setting) => $"{Name}__{setting}";
}

/// <summary>
/// The app settings, read and checked in one place, so a wrong value is one line naming the setting, what it holds and
/// what is allowed, never a stack trace. The allowed values come from the options classes' own attributes
/// (<see cref="RangeAttribute"/>, <see cref="RegularExpressionAttribute"/>, <see cref="RequiredAttribute"/>) and their
/// <see cref="IValidatableObject"/> checks. A secret (the bot token, the webhook secret, a storage key) is never repeated.
/// </summary>
public static class SettingsCheck
{
    /// <summary>Settings whose value must never be printed.</summary>
    static readonly HashSet<string> Secrets = [nameof(TelegramOptions.BotToken), nameof(TelegramOptions.WebhookSecret)];

    /// <summary>Binds what can be read into <paramref name="options"/> and leaves the rest at its default; <see cref="Problems"/> says what was left.</summary>
    public static void Bind(IConfiguration configuration, SettingsSection section, object options)
    {
        foreach (var property in section.Settings)
            if (configuration[$"{section.Name}:{property.Name}"] is { } raw && TryConvert(raw, property.PropertyType, out var value))
                property.SetValue(options, value);
    }

    /// <summary>Every problem in these sections' settings, one line each; none when they are all usable.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration, IEnumerable<SettingsSection> sections)
    {
        var problems = new List<string>();
        foreach (var section in sections)
        {
            var options = Activator.CreateInstance(section.Options)!;
            var given = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in section.Settings)
            {
                if (configuration[$"{section.Name}:{property.Name}"] is not { } raw) continue;
                if (TryConvert(raw, property.PropertyType, out var value))
                {
                    property.SetValue(options, value);
                    given[property.Name] = raw;
                }
                else problems.Add(Wrong(section, property, raw));
            }
            foreach (var property in section.Settings.Where(p => given.ContainsKey(p.Name)))
            {
                var results = new List<ValidationResult>();
                if (!Validator.TryValidateProperty(property.GetValue(options), new ValidationContext(options) { MemberName = property.Name }, results))
                    problems.Add(Wrong(section, property, given[property.Name]));
            }
            if (options is IValidatableObject validatable)
                problems.AddRange(validatable.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage ?? ""));
            problems.AddRange(Unknown(configuration, section));
        }
        return problems;
    }

    /// <summary>A misspelt setting is otherwise ignored without a word, and its default silently used.</summary>
    static IEnumerable<string> Unknown(IConfiguration configuration, SettingsSection section)
    {
        var known = section.Settings.Select(p => p.Name).ToList();
        foreach (var child in configuration.GetSection(section.Name).GetChildren())
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                var closest = ConfigParser.Suggest(child.Key, known) is { Length: > 0 } hint ? hint.Split('\'')[1] : null;
                yield return closest is not null
                    ? $"{section.NameOf(child.Key)} is not a setting; did you mean {section.NameOf(closest)}?"
                    : $"{section.NameOf(child.Key)} is not a setting; the {section.Name} settings are {string.Join(", ", known)}.";
            }
    }

    /// <summary>
    /// What is wrong with the storage settings, if anything: a connection string that cannot be read (it is never
    /// printed, since it holds the account key), or a service address that is not one.
    /// </summary>
    public static string? StorageProblem(IConfiguration configuration)
    {
        var section = ServiceCollectionExtensions.StorageSection(configuration);
        if (section is null) return null;
        if (section.Value is { Length: > 0 } connection)
        {
            try
            {
                _ = new BlobServiceClient(connection);
                return null;
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException or InvalidOperationException)
            {
                return $"{section.Key} is not a storage connection string ({ex.FirstLine().TrimEnd('.')}); set it to UseDevelopmentStorage=true for Azurite, or to the account's connection string from the portal.";
            }
        }
        foreach (var key in new[] { "serviceUri", "blobServiceUri", "queueServiceUri" })
            if (section[key] is { } address && !(Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
                return $"{section.Key}__{key} is '{address}', but it must be the storage account's address, such as https://ACCOUNT.blob.core.windows.net.";
        return null;
    }

    static string Wrong(SettingsSection section, PropertyInfo property, string raw) =>
        Secrets.Contains(property.Name)
            ? $"{section.NameOf(property.Name)} is set, but it must be {Allowed(property)}."
            : $"{section.NameOf(property.Name)} is '{raw}', but it must be {Allowed(property)}.";

    /// <summary>What a setting accepts, in words, from its type and attributes.</summary>
    public static string Allowed(PropertyInfo property)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var range = property.GetCustomAttribute<RangeAttribute>();
        var pattern = property.GetCustomAttribute<RegularExpressionAttribute>();
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) => range is null
                ? "a whole number"
                : $"a whole number from {Number(range.Minimum)} to {Number(range.Maximum)}",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateTimeOffset) => "a date and time with its offset, such as 2026-11-28T07:00:00Z",
            _ when pattern?.ErrorMessage is { } words => words,
            _ when property.GetCustomAttribute<RequiredAttribute>() is not null => "text that is not empty",
            _ => "text",
        };

        static string Number(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture);
    }

    static bool TryConvert(string raw, Type type, out object? value)
    {
        value = null;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            value = raw;
            return true;
        }
        if (raw.Length == 0 && target != type) return true; // an empty value leaves a nullable setting unset
        try
        {
            value = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(raw.Trim());
            return value is not null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }
}

/// <summary>Validates one options class with <see cref="SettingsCheck"/>, so a deployed app fails at start with the same lines the CLI prints.</summary>
sealed class SettingsValidation<TOptions>(IConfiguration configuration, SettingsSection section) : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        SettingsCheck.Problems(configuration, [section]) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
