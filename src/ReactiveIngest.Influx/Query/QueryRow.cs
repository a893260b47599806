using System.Globalization;
using System.Text.Json;

namespace ReactiveIngest.Influx.Query;

/// <summary>
/// One row of a series, with typed accessors by column name. InfluxDB's JSON does not tell a float
/// <c>1.0</c> from an integer <c>1</c>, so the caller says which type it expects; a mismatch throws.
/// Times are requested as epoch nanoseconds.
/// </summary>
public sealed class QueryRow
{
    private readonly IReadOnlyList<string> _columns;
    private readonly JsonElement[] _values;

    internal QueryRow(IReadOnlyList<string> columns, JsonElement[] values)
    {
        _columns = columns;
        _values = values;
    }

    /// <summary>The column names, <c>time</c> first.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The event time in epoch nanoseconds (the <c>time</c> column).</summary>
    public long TimeNs => GetInt64("time");

    /// <summary>True when the column is absent from this row's series or null in it.</summary>
    public bool IsNull(string column)
    {
        var index = IndexOf(column, required: false);
        return index < 0 || _values[index].ValueKind == JsonValueKind.Null;
    }

    /// <summary>A float column.</summary>
    public double GetDouble(string column) => Get(column, JsonValueKind.Number).GetDouble();

    /// <summary>An integer column (also <c>time</c>).</summary>
    public long GetInt64(string column) => Get(column, JsonValueKind.Number).GetInt64();

    /// <summary>An unsigned integer column.</summary>
    public ulong GetUInt64(string column) => Get(column, JsonValueKind.Number).GetUInt64();

    /// <summary>A string column (also tags selected as columns).</summary>
    public string GetString(string column) => Get(column, JsonValueKind.String).GetString()!;

    /// <summary>A boolean column.</summary>
    public bool GetBoolean(string column)
    {
        var value = Get(column, null);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidCastException($"Column '{column}' is {value.ValueKind}, not a boolean."),
        };
    }

    /// <summary>The raw JSON value of a column.</summary>
    public JsonElement GetRaw(string column) => _values[IndexOf(column, required: true)];

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", _columns.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{c}={_values[i]}")));

    private JsonElement Get(string column, JsonValueKind? kind)
    {
        var value = _values[IndexOf(column, required: true)];
        if (value.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidCastException($"Column '{column}' is null in this row.");
        }

        if (kind is { } k && value.ValueKind != k)
        {
            throw new InvalidCastException($"Column '{column}' is {value.ValueKind}, not {k}.");
        }

        return value;
    }

    private int IndexOf(string column, bool required)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            if (string.Equals(_columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return required ? throw new KeyNotFoundException($"No column '{column}' (columns: {string.Join(", ", _columns)}).") : -1;
    }
}
