using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Syndication.Storage;

/// <summary>
/// Whether a value read from JSON has the shape its type promises: no null where the type says none belongs (a missing
/// field of a record, a <c>null</c> in a list or a map), at any depth. JSON that parses can still be <c>{}</c> or
/// <c>[null]</c>; without this check such a blob would pass as read and fault far from where it was read.
/// </summary>
public static class JsonShape
{
    /// <summary>A property a JSON document fills: its name as stored, how to read it, and whether null is allowed.</summary>
    sealed record Field(string Name, Func<object, object?> Get, bool Nullable);

    static readonly ConcurrentDictionary<Type, Field[]> Fields = new();
    static readonly Lock Gate = new(); // NullabilityInfoContext is not thread-safe

    /// <summary>The first problem with <paramref name="value"/>'s shape, in words with its JSON path; null when it has none.</summary>
    public static string? Problem(object? value) => value is null ? "it holds JSON null" : Walk(value, "$", 0);

    static string? Walk(object value, string path, int depth)
    {
        if (depth > 32 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return null;
        // A list or map of numbers, dates or flags holds no null and no record: nothing to walk (a recent-stories list
        // holds thousands of shingles, which walking would box one by one).
        if (HoldsOnlyValues(value.GetType())) return null;
        if (value is IDictionary map)
        {
            foreach (DictionaryEntry entry in map)
            {
                var at = $"{path}['{entry.Key}']";
                if (entry.Value is null) return $"{at} is null";
                if (Walk(entry.Value, at, depth + 1) is { } problem) return problem;
            }
            return null;
        }
        if (value is IEnumerable list)
        {
            var index = 0;
            foreach (var item in list)
            {
                var at = $"{path}[{index++}]";
                if (item is null) return $"{at} is null";
                if (Walk(item, at, depth + 1) is { } problem) return problem;
            }
            return null;
        }
        if (value.GetType().Namespace?.StartsWith("Syndication", StringComparison.Ordinal) != true) return null;
        foreach (var field in FieldsOf(value.GetType()))
        {
            var at = $"{path}.{field.Name}";
            switch (field.Get(value))
            {
                case null when !field.Nullable: return $"{at} is missing or null";
                case null: continue;
                case var inner when Walk(inner, at, depth + 1) is { } problem: return problem;
            }
        }
        return null;
    }

    static readonly ConcurrentDictionary<Type, bool> ValueCollections = new();

    /// <summary>An array, list or map whose elements (or values) are non-nullable value types.</summary>
    static bool HoldsOnlyValues(Type type) => ValueCollections.GetOrAdd(type, static t =>
    {
        var element = t.IsArray ? t.GetElementType()
            : t.IsGenericType && typeof(IEnumerable).IsAssignableFrom(t) ? t.GetGenericArguments()[^1]
            : null;
        return element is { IsValueType: true } && Nullable.GetUnderlyingType(element) is null && !element.IsGenericType;
    });

    static Field[] FieldsOf(Type type) => Fields.GetOrAdd(type, static t =>
    {
        lock (Gate)
        {
            var nullability = new NullabilityInfoContext();
            // Only what JSON fills (settable or init-only); a computed property is not stored and is not read here.
            return [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is not null && p.GetIndexParameters().Length == 0 && !p.PropertyType.IsValueType)
                .Select(p => new Field(char.ToLowerInvariant(p.Name[0]) + p.Name[1..], p.GetValue, nullability.Create(p).ReadState != NullabilityState.NotNull))];
        }
    });
}
