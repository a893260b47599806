using System.Globalization;
using System.Text.Json;

namespace ReactiveIngest.TestSupport.Servers;

/// <summary>One row of an InfluxQL answer: its series (measurement) name, the series' tags, the time in epoch ms and the other columns by name.</summary>
public sealed record StoredRow(string Series, IReadOnlyDictionary<string, string> Tags, long TimeMs, IReadOnlyDictionary<string, JsonElement> Fields)
{
    /// <summary>The columns whose value is null: fields of the point not visible (yet), or aggregates over no value.</summary>
    public IEnumerable<string> NullFields => Fields.Where(f => f.Value.ValueKind == JsonValueKind.Null).Select(f => f.Key);

    /// <summary>A tag of the series (empty when the query did not group by it).</summary>
    public string Tag(string key) => Tags.GetValueOrDefault(key, string.Empty);

    /// <summary>A numeric column.</summary>
    public double Double(string field) => Fields[field].GetDouble();

    /// <summary>An integer column.</summary>
    public long Long(string field) => Fields[field].GetInt64();

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Series}{string.Concat(Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $",{t.Key}={t.Value}"))} @{TimeMs}");
}
