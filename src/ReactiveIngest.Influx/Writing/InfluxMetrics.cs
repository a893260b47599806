using System.Diagnostics.Metrics;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Influx.Writing;

/// <summary>
/// The InfluxDB write instruments (meter <see cref="MeterName"/>): points written, batches, bytes sent,
/// write latency, retries, rejected points by reason, and batches held back to keep writes of one point in order. Create one per writer, from an
/// <see cref="IMeterFactory"/> in the host.
/// </summary>
public sealed class InfluxMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "ReactiveIngest.Influx";

    /// <summary>Counter: points InfluxDB accepted.</summary>
    public const string PointsWrittenName = "reactiveingest.influx.points.written";

    /// <summary>Counter: write requests that succeeded.</summary>
    public const string BatchesWrittenName = "reactiveingest.influx.batches.written";

    /// <summary>Counter: request body bytes sent in successful writes (after compression).</summary>
    public const string BytesWrittenName = "reactiveingest.influx.bytes.written";

    /// <summary>Histogram: duration of one write request in seconds, whatever its outcome.</summary>
    public const string WriteDurationName = "reactiveingest.influx.write.duration";

    /// <summary>Counter: write attempts that were retried (network, 5xx, 429, 401/403/404).</summary>
    public const string RetriesName = "reactiveingest.influx.write.retries";

    /// <summary>Counter: points dead-lettered (by the encoder or by InfluxDB), tagged with <c>reason</c>.</summary>
    public const string PointsRejectedName = "reactiveingest.influx.points.rejected";

    /// <summary>
    /// Counter: times a sealed batch was held back because a write in flight holds a point of the same identity
    /// (see <see cref="Stages.InfluxWriteStage"/>); counted once per batch that waited.
    /// </summary>
    public const string OrderWaitsName = "reactiveingest.influx.write.order_waits";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _pointsWritten;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _orderWaits;

    /// <summary>Creates the instruments from <paramref name="meterFactory"/>, or on a meter of its own.</summary>
    public InfluxMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _pointsWritten = _meter.CreateCounter<long>(PointsWrittenName, "{point}", "Points InfluxDB accepted.");
        _batches = _meter.CreateCounter<long>(BatchesWrittenName, "{request}", "Successful write requests.");
        _bytes = _meter.CreateCounter<long>(BytesWrittenName, "By", "Request body bytes of successful writes.");
        _duration = _meter.CreateHistogram<double>(WriteDurationName, "s", "Duration of one write request.");
        _retries = _meter.CreateCounter<long>(RetriesName, "{attempt}", "Write attempts that will be retried.");
        _rejected = _meter.CreateCounter<long>(PointsRejectedName, "{point}", "Points sent to the dead-letter output.");
        _orderWaits = _meter.CreateCounter<long>(OrderWaitsName, "{batch}", "Batches held back until an earlier write of a point of the same identity completed.");
    }

    internal void Written(int points, int bytes)
    {
        _pointsWritten.Add(points);
        _batches.Add(1);
        _bytes.Add(bytes);
    }

    internal void Duration(TimeSpan elapsed) => _duration.Record(elapsed.TotalSeconds);

    internal void Retry() => _retries.Add(1);

    internal void OrderWait() => _orderWaits.Add(1);

    internal void Rejected(RejectReason reason, int count = 1) =>
        _rejected.Add(count, new KeyValuePair<string, object?>("reason", reason.ToString()));

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
