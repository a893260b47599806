namespace ReactiveIngest.Streams.Transforms;

/// <summary>An alert produced by a transform for one series.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Value">The value that triggered it (the last value seen for <see cref="AlertKind.Silent"/>).</param>
/// <param name="TimestampNs">Event time of that value, epoch ns.</param>
/// <param name="Detail">Human-readable explanation.</param>
public sealed record Alert(string DeviceId, string Metric, AlertKind Kind, double Value, long TimestampNs, string Detail);
