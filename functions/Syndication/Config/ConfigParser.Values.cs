using System.Text.Json;

namespace Syndication.Config;

/// <summary>Reading JSON values with their paths, and the words of its errors ("did you mean").</summary>
public static partial class ConfigParser
{
    static List<T> ReadArray<T>(JsonElement parent, string name, string parentPath, ConfigErrors errors,
        Func<JsonElement, string, ConfigErrors, T> read)
    {
        var path = Join(parentPath, name);
        if (!parent.TryGetProperty(name, out var array))
        {
            errors.Add(new(path, "missing; it must be a list (it may be empty)"));
            return [];
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(path, $"must be a list, not {Describe(array)}"));
            return [];
        }
        var items = new List<T>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
                errors.Add(new(itemPath, $"must be an object, not {Describe(item)}"));
            else
                items.Add(read(item, itemPath, errors));
        }
        return items;
    }

    static string ReadId(JsonElement e, string path, ConfigErrors errors)
    {
        var id = ReadString(e, "id", path, errors, required: true) ?? "";
        if (id.Length > 0 && !IdPattern().IsMatch(id))
            errors.Add(new($"{path}.id", $"'{id}' is not a valid id; use 1 to 63 letters, digits, '-' or '_', starting with a letter or digit"));
        return id;
    }

    static string? ReadString(JsonElement e, string name, string path, ConfigErrors errors, bool required)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            if (required) errors.Add(new(Join(path, name), "missing"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(Join(path, name), $"must be a string, not {Describe(value)}"));
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length == 0) errors.Add(new(Join(path, name), "must not be empty"));
        return text;
    }

    static List<string>? ReadStrings(JsonElement e, string name, string path, ConfigErrors errors)
    {
        if (!e.TryGetProperty(name, out var array)) return null;
        var arrayPath = $"{path}.{name}";
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(arrayPath, $"must be a list of strings, not {Describe(array)}"));
            return [];
        }
        var values = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{arrayPath}[{index++}]";
            // Invalid items stay as "" so that later checks report the same index the editor sees.
            if (item.ValueKind != JsonValueKind.String)
                errors.Add(new(itemPath, $"must be a string, not {Describe(item)}"));
            else if (string.IsNullOrWhiteSpace(item.GetString()))
                errors.Add(new(itemPath, "must not be empty"));
            values.Add(item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : "");
        }
        return values;
    }

    /// <summary>One of a field's choices as the schema lists them; null when absent, and an error naming them when it is none.</summary>
    static string? ReadChoice(JsonElement e, string name, string path, string pointer, ConfigErrors errors)
    {
        if (ReadString(e, name, path, errors, required: false) is not { Length: > 0 } value) return null;
        if (ConfigSchema.IsChoice(pointer, value)) return value;
        errors.Add(new(Join(path, name), $"'{value}' is not {ConfigSchema.OneOf(pointer)}{Suggest(value, ConfigSchema.Choices(pointer))}"));
        return null;
    }

    /// <summary>A whole number within the schema's range for the field; <paramref name="fallback"/> when absent or wrong.</summary>
    /// <param name="unit">Said after "a whole number", such as " of minutes".</param>
    /// <param name="why">Said after the range: what the number is for.</param>
    static int ReadWhole(JsonElement e, string name, string path, string pointer, int fallback, ConfigErrors errors, string unit = "", string why = "")
    {
        if (!e.TryGetProperty(name, out var value)) return fallback;
        var (min, max) = ConfigSchema.Range(pointer);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max) return number;
        errors.Add(new($"{path}.{name}", $"must be a whole number{unit} from {min} to {max}{why}"));
        return fallback;
    }

    static bool? ReadBool(JsonElement e, string name, string path, ConfigErrors errors)
    {
        if (!e.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        errors.Add(new($"{path}.{name}", $"must be true or false, not {Describe(value)}"));
        return null;
    }

    static void CheckFields(JsonElement e, string path, string[] known, ConfigErrors errors)
    {
        foreach (var property in e.EnumerateObject())
            if (!known.Contains(property.Name))
                errors.Add(new(Join(path, property.Name), $"unknown field '{property.Name}'{Suggest(property.Name, known)}"));
    }

    static void CheckDuplicates(List<string> ids, string path, string kind, ConfigErrors errors)
    {
        var first = new Dictionary<string, int>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i].Length == 0) continue;
            if (first.TryGetValue(ids[i], out var at))
                errors.Add(new($"{path}[{i}].id", $"duplicate {kind} id '{ids[i]}' (first used at {path}[{at}])"));
            else
                first[ids[i]] = i;
        }
    }

    /// <summary>The "did you mean" suggestion when there is one, else the general hint.</summary>
    static string OrHint(string suggestion, string hint) => suggestion.Length > 0 ? suggestion : hint;

    internal static string Suggest(string given, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Name: k, Distance: Distance(given.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(k => k.Distance <= Math.Max(1, given.Length / 3))
            .OrderBy(k => k.Distance)
            .FirstOrDefault();
        return best.Name is null ? "" : $"; did you mean '{best.Name}'?";
    }

    /// <summary>Edit distance counting a swap of two neighbours as one edit (optimal string alignment), for "did you mean" hints.</summary>
    static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
