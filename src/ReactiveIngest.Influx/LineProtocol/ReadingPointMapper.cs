using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>
/// Maps a raw <see cref="Reading"/> to a point: measurement = the metric (or a fixed name), the reading's
/// tags plus a device tag, one float field, the reading's event time. With a fixed measurement the metric
/// becomes a tag (<see cref="MetricTagKey"/>) so two metrics never overwrite each other.
/// </summary>
public sealed class ReadingPointMapper
{
    /// <summary>A fixed measurement for every reading; null (default) uses the metric name.</summary>
    public string? Measurement { get; init; }

    /// <summary>The tag that carries the device id (default <c>deviceId</c>). It wins over a reading tag of the same key.</summary>
    public string DeviceTagKey { get; init; } = "deviceId";

    /// <summary>The tag that carries the metric when <see cref="Measurement"/> is fixed (default <c>metric</c>).</summary>
    public string MetricTagKey { get; init; } = "metric";

    /// <summary>The field that carries the value (default <c>value</c>).</summary>
    public string FieldKey { get; init; } = "value";

    /// <summary>The default mapping.</summary>
    public static ReadingPointMapper Default { get; } = new();

    /// <summary>Maps one reading.</summary>
    public LinePoint Map(in Reading reading)
    {
        // Added last, the device tag wins over a reading tag (or the metric tag) of the same key.
        var tags = reading.Tags;
        if (Measurement is not null)
        {
            tags = tags.With(new Tag(MetricTagKey, reading.Metric));
        }

        tags = tags.With(new Tag(DeviceTagKey, reading.DeviceId));
        return new LinePoint(
            Measurement ?? reading.Metric,
            tags,
            new Field(FieldKey, FieldValue.Float(reading.Value)),
            reading.TimestampNs);
    }
}
