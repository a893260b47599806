using System.Diagnostics.Metrics;
using ReactiveIngest.Influx.Writing;

namespace ReactiveIngest.Influx.Tests.Support;

/// <summary>
/// <see cref="InfluxMetrics"/> on meters of a factory of its own, with a listener that reads back only those meters'
/// counters (so tests running in parallel do not see each other's writes).
/// </summary>
internal sealed class ScopedInfluxMetrics : IMeterFactory
{
    private readonly List<Meter> _meters = [];
    private readonly MeterListener _listener = new();
    private long _orderWaits;

    public ScopedInfluxMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, this))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == InfluxMetrics.OrderWaitsName)
            {
                Interlocked.Add(ref _orderWaits, value);
            }
        });
        _listener.Start();
        Metrics = new InfluxMetrics(this);
    }

    public InfluxMetrics Metrics { get; }

    /// <summary>The order-wait counter's total so far.</summary>
    public long OrderWaits => Interlocked.Read(ref _orderWaits);

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Scope = this });
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        _listener.Dispose();
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
