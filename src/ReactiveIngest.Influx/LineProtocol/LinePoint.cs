using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>
/// One InfluxDB point: measurement, tags (sorted by key, as <see cref="TagSet"/> keeps them), at least one
/// field, and an optional timestamp in epoch nanoseconds (without one the server assigns its clock).
/// Identifiers are plain text; the encoder escapes them. Build with <see cref="PointBuilder"/> or the constructor.
/// </summary>
public sealed class LinePoint
{
    // A point of one field (every raw reading) keeps it inline instead of in a one-element array.
    private readonly Field _single;
    private readonly Field[]? _fields;

    /// <summary>Creates a point. The fields are copied; their order is kept.</summary>
    public LinePoint(string measurement, TagSet tags, IEnumerable<Field> fields, long? timestampNs)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(fields);
        Measurement = measurement;
        Tags = tags;
        _fields = [.. fields];
        TimestampNs = timestampNs;
    }

    /// <summary>Creates a point with a single field.</summary>
    public LinePoint(string measurement, TagSet tags, Field field, long? timestampNs)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        Measurement = measurement;
        Tags = tags;
        _single = field;
        TimestampNs = timestampNs;
    }

    /// <summary>The measurement name.</summary>
    public string Measurement { get; }

    /// <summary>The tags, sorted by key.</summary>
    public TagSet Tags { get; }

    /// <summary>The fields in the order given.</summary>
    public IReadOnlyList<Field> Fields => _fields ?? [_single];

    /// <summary>Epoch nanoseconds, or null for the server's time.</summary>
    public long? TimestampNs { get; }

    internal ReadOnlySpan<Field> FieldSpan => _fields is null ? new ReadOnlySpan<Field>(in _single) : _fields;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Measurement},{Tags} {string.Join(",", Fields.Select(f => $"{f.Key}={f.Value}"))} {TimestampNs}";
}
