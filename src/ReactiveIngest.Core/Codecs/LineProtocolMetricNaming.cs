namespace ReactiveIngest.Core.Codecs;

/// <summary>How a line-protocol field becomes a metric name.</summary>
public enum LineProtocolMetricNaming
{
    /// <summary>The field key alone: <c>env,deviceId=d1 temperature=21.5</c> → metric <c>temperature</c>; the measurement is not kept (default).</summary>
    FieldKey = 0,

    /// <summary>Measurement, separator and field key: <c>env,deviceId=d1 temperature=21.5</c> → metric <c>env.temperature</c>.</summary>
    MeasurementAndField = 1,
}
