using System.Diagnostics.Metrics;
using ReactiveIngest.Influx.Writing;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// Listens to the InfluxDB writer's instruments of this host (meters created by the host's <see cref="IMeterFactory"/>
/// only, so other hosts in the same process are not counted) and keeps totals plus the latency of the writes since
/// the last <see cref="TakeInterval"/>. Each callback is one lock of a few additions, once per write request.
/// </summary>
public sealed class InfluxWriteMeterReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private long _writes;
    private long _retries;
    private long _pointsWritten;
    private long _pointsRejected;
    private long _intervalWrites;
    private double _intervalSeconds;
    private double _intervalMaxSeconds;

    /// <summary>Starts listening.</summary>
    public InfluxWriteMeterReader(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Meter.Name == InfluxMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<double>(OnDouble);
        _listener.Start();
    }

    /// <summary>Totals since start and the write latency since the previous call.</summary>
    public InfluxWriteFigures TakeInterval()
    {
        lock (_gate)
        {
            var figures = new InfluxWriteFigures(_writes, _retries, _pointsWritten, _pointsRejected, _intervalWrites,
                _intervalWrites == 0 ? null : _intervalSeconds / _intervalWrites, _intervalWrites == 0 ? null : _intervalMaxSeconds);
            _intervalWrites = 0;
            _intervalSeconds = 0;
            _intervalMaxSeconds = 0;
            return figures;
        }
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        lock (_gate)
        {
            switch (instrument.Name)
            {
                case InfluxMetrics.RetriesName: _retries += value; break;
                case InfluxMetrics.PointsWrittenName: _pointsWritten += value; break;
                case InfluxMetrics.PointsRejectedName: _pointsRejected += value; break;
                default: break;
            }
        }
    }

    private void OnDouble(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name != InfluxMetrics.WriteDurationName)
        {
            return;
        }

        lock (_gate)
        {
            _writes++;
            _intervalWrites++;
            _intervalSeconds += value;
            _intervalMaxSeconds = Math.Max(_intervalMaxSeconds, value);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
