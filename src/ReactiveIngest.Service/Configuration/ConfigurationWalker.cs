using System.Collections;
using System.Globalization;
using System.Reflection;

namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// Lists the keys the configuration binder fills in an options type: settable properties, and get-only properties
/// holding a mutable collection or an object the binder fills in place. Lists become <c>N</c> (then <c>M</c>, <c>K</c>)
/// index segments, dictionaries <c>{name}</c> segments; defaults come from a fresh instance.
/// </summary>
public static class ConfigurationWalker
{
    private static readonly string[] IndexNames = ["N", "M", "K", "L"];
    private const int MaxDepth = 8;

    /// <summary>The properties of <paramref name="type"/> the binder sets or fills.</summary>
    public static IEnumerable<PropertyInfo> BoundProperties(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true })
            .Where(p => (p.SetMethod is { IsPublic: true } && IsBindable(p.PropertyType)) || IsFilledInPlace(p.PropertyType));
    }

    /// <summary>What the binder can create from configuration: values, collections, and classes it can construct (not delegates).</summary>
    private static bool IsBindable(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return IsScalar(plain) || DictionaryValueType(plain) is not null || ElementType(plain) is not null
            || (plain.IsClass && !plain.IsAbstract && !typeof(Delegate).IsAssignableFrom(plain) && plain.GetConstructor(Type.EmptyTypes) is not null);
    }

    /// <summary>The keys of <paramref name="section"/>, each type's in declaration order, without duplicates.</summary>
    public static IReadOnlyList<ConfigurationKey> Keys(ConfigurationSection section, XmlDocumentation docs)
    {
        ArgumentNullException.ThrowIfNull(section);
        var keys = new List<ConfigurationKey>();
        var indexes = section.Path.Split(':').Count(s => s == "N");
        foreach (var type in section.Types)
        {
            Walk(section.Path, section.Path, type, CreateOrNull(type), indexes, 0, docs, keys);
        }

        return [.. keys.DistinctBy(k => k.Path, StringComparer.OrdinalIgnoreCase).Select(k =>
            section.Defaults?.TryGetValue(k.Path[(section.Path.Length + 1)..], out var shown) == true ? k with { Default = shown } : k)];
    }

    private static void Walk(string section, string prefix, Type type, object? instance, int indexes, int depth, XmlDocumentation docs, List<ConfigurationKey> into)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        foreach (var property in BoundProperties(type))
        {
            var value = instance is null ? null : property.GetValue(instance);
            var description = docs.Summary(property);
            Member(section, $"{prefix}:{property.Name}", property.PropertyType, value, indexes, depth, description, docs, into);
        }
    }

    private static void Member(string section, string path, Type type, object? value, int indexes, int depth, string description, XmlDocumentation docs, List<ConfigurationKey> into)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(plain))
        {
            into.Add(new ConfigurationKey(section, path, EnvironmentVariable(path), TypeName(type), Format(value), description) { ValueType = type });
            return;
        }

        if (DictionaryValueType(plain) is { } valueType)
        {
            var entries = value is IEnumerable e ? e.Cast<object>().Count() : 0;
            var itemPath = $"{path}:{{name}}";
            if (IsScalar(Nullable.GetUnderlyingType(valueType) ?? valueType))
            {
                into.Add(new ConfigurationKey(section, itemPath, EnvironmentVariable(itemPath), $"map of {TypeName(valueType)}", entries == 0 ? "{}" : $"{entries} entries", description) { ValueType = valueType });
            }
            else
            {
                Walk(section, itemPath, valueType, CreateOrNull(valueType), indexes, depth + 1, docs, into);
            }

            return;
        }

        if (ElementType(plain) is { } elementType)
        {
            var itemPath = $"{path}:{IndexNames[Math.Min(indexes, IndexNames.Length - 1)]}";
            if (IsScalar(Nullable.GetUnderlyingType(elementType) ?? elementType))
            {
                var items = value is IEnumerable e ? e.Cast<object?>().Select(Format).ToList() : [];
                into.Add(new ConfigurationKey(section, itemPath, EnvironmentVariable(itemPath), $"list of {TypeName(elementType)}", items.Count == 0 ? "[]" : $"[{string.Join(", ", items)}]", description) { ValueType = elementType });
            }
            else
            {
                Walk(section, itemPath, elementType, CreateOrNull(elementType), indexes + 1, depth + 1, docs, into);
            }

            return;
        }

        Walk(section, path, plain, value ?? CreateOrNull(plain), indexes, depth + 1, docs, into);
    }

    /// <summary>The environment-variable form: <c>:</c> becomes <c>__</c>, index placeholders become 0.</summary>
    public static string EnvironmentVariable(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return string.Join("__", path.Split(':').Select(s => IndexNames.Contains(s) ? "0" : s));
    }

    /// <summary>True for the types the binder converts from one string.</summary>
    public static bool IsScalar(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(Uri) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid);
    }

    /// <summary>True when <paramref name="name"/> is an index placeholder (<c>N</c>, <c>M</c>, …).</summary>
    public static bool IsIndexPlaceholder(string name) => IndexNames.Contains(name);

    private static bool IsFilledInPlace(Type type)
    {
        if (IsScalar(Nullable.GetUnderlyingType(type) ?? type))
        {
            return false;
        }

        // The binder adds to a get-only collection only when it can: IReadOnly* interfaces and IEnumerable cannot be filled.
        if (type.IsInterface)
        {
            return type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IList<>) || d == typeof(ICollection<>) || d == typeof(ISet<>));
        }

        return type.IsClass && !type.IsArray && !type.IsAbstract && !typeof(Delegate).IsAssignableFrom(type);
    }

    private static Type? DictionaryValueType(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(t => t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(IDictionary<,>) || t.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
            ?.GetGenericArguments()[1];

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.GetInterfaces().Append(type)
            .FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0];
    }

    private static object? CreateOrNull(Type type)
    {
        if (type.IsAbstract || type.IsInterface || (type.IsClass && type.GetConstructor(Type.EmptyTypes) is null))
        {
            return null;
        }

        try
        {
            return Activator.CreateInstance(type);
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    private static string TypeName(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type);
        if (plain is not null)
        {
            return TypeName(plain);
        }

        if (type.IsEnum)
        {
            return string.Join(" \\| ", Enum.GetNames(type));
        }

        return type == typeof(string) ? "string"
            : type == typeof(int) ? "int"
            : type == typeof(long) ? "long"
            : type == typeof(bool) ? "bool"
            : type == typeof(double) ? "number"
            : type == typeof(TimeSpan) ? "duration"
            : type == typeof(Uri) ? "URL"
            : type == typeof(DateTimeOffset) ? "date-time (ISO 8601)"
            : type.Name;
    }

    private static string Format(object? value) => value switch
    {
        null => "–",
        string s => s.Length == 0 ? "\"\"" : s,
        bool b => b ? "true" : "false",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "–",
    };
}
