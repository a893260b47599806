using System.Diagnostics.Metrics;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// Creates meters under a name no exporter subscribes to, so the health writer's own InfluxDB requests do not show
/// up in <c>/metrics</c> or in the health snapshots beside the data writes.
/// </summary>
internal sealed class UnexportedMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(new MeterOptions("unexported-health-writer") { Scope = this });
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
