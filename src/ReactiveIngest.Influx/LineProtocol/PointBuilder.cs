using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>
/// Builds a <see cref="LinePoint"/> step by step; the generic entry for anything that is not a raw
/// reading (window aggregates, alerts). A tag or field key given twice keeps its last value.
/// </summary>
public sealed class PointBuilder
{
    private readonly string _measurement;
    private readonly List<Tag> _tags = [];
    private readonly List<Field> _fields = [];
    private long? _timestampNs;

    private PointBuilder(string measurement) => _measurement = measurement;

    /// <summary>Starts a point of <paramref name="measurement"/>.</summary>
    public static PointBuilder Measurement(string measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        return new PointBuilder(measurement);
    }

    /// <summary>Adds a tag.</summary>
    public PointBuilder Tag(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _tags.Add(new Tag(key, value));
        return this;
    }

    /// <summary>Adds every tag of <paramref name="tags"/>.</summary>
    public PointBuilder Tags(TagSet tags)
    {
        foreach (var tag in tags.AsSpan())
        {
            _tags.Add(tag);
        }

        return this;
    }

    /// <summary>Adds a float field.</summary>
    public PointBuilder Field(string key, double value) => AddField(key, FieldValue.Float(value));

    /// <summary>Adds an integer field.</summary>
    public PointBuilder Field(string key, long value) => AddField(key, FieldValue.Integer(value));

    /// <summary>Adds an unsigned integer field.</summary>
    public PointBuilder Field(string key, ulong value) => AddField(key, FieldValue.UInteger(value));

    /// <summary>Adds a boolean field.</summary>
    public PointBuilder Field(string key, bool value) => AddField(key, FieldValue.Boolean(value));

    /// <summary>Adds a string field.</summary>
    public PointBuilder Field(string key, string value) => AddField(key, FieldValue.String(value));

    /// <summary>Adds a field of any type.</summary>
    public PointBuilder Field(string key, FieldValue value) => AddField(key, value);

    /// <summary>Sets the timestamp in epoch nanoseconds.</summary>
    public PointBuilder Timestamp(long timestampNs)
    {
        _timestampNs = timestampNs;
        return this;
    }

    /// <summary>Sets the timestamp.</summary>
    public PointBuilder Timestamp(DateTimeOffset timestamp) => Timestamp(UnixTime.FromDateTimeOffset(timestamp));

    /// <summary>Builds the point. At least one field is required.</summary>
    /// <exception cref="InvalidOperationException">No field was added.</exception>
    public LinePoint Build()
    {
        if (_fields.Count == 0)
        {
            throw new InvalidOperationException($"Point '{_measurement}' has no field; line protocol needs at least one.");
        }

        var fields = new Field[_fields.Count];
        var count = 0;
        foreach (var field in _fields)
        {
            var existing = 0;
            while (existing < count && !string.Equals(fields[existing].Key, field.Key, StringComparison.Ordinal))
            {
                existing++;
            }

            fields[existing] = field;
            if (existing == count)
            {
                count++;
            }
        }

        return new LinePoint(_measurement, TagSet.Create(_tags), new ArraySegment<Field>(fields, 0, count), _timestampNs);
    }

    private PointBuilder AddField(string key, FieldValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        _fields.Add(new Field(key, value));
        return this;
    }
}
