namespace ReactiveIngest.Core.Model;

/// <summary>
/// One measurement: a device's metric at an event time. The timestamp is nanoseconds since the Unix
/// epoch (UTC), the device's own clock when it sent one, else the broker's or ingest time.
/// </summary>
/// <param name="DeviceId">The device that measured the value.</param>
/// <param name="Metric">The metric name, e.g. <c>temperature</c>.</param>
/// <param name="TimestampNs">Event time in nanoseconds since 1970-01-01T00:00:00Z.</param>
/// <param name="Value">The measured value.</param>
/// <param name="Tags">Extra dimensions (site, firmware, …), sorted by key.</param>
public readonly record struct Reading(string DeviceId, string Metric, long TimestampNs, double Value, TagSet Tags)
{
    /// <summary>A reading without tags.</summary>
    public Reading(string deviceId, string metric, long timestampNs, double value)
        : this(deviceId, metric, timestampNs, value, TagSet.Empty)
    {
    }

    /// <summary>The event time as a <see cref="DateTimeOffset"/> (100 ns resolution).</summary>
    public DateTimeOffset Timestamp => UnixTime.ToDateTimeOffset(TimestampNs);
}
