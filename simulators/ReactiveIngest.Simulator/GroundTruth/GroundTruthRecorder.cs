using ReactiveIngest.Simulator.Devices;

namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>
/// Records what the broker accepted: per-device tallies, count/sum/min/max per (device, metric, 10 s tumbling
/// event-time window) of distinct valid readings, and the injected faults. Thread-safe (one lock; the fleet uses
/// one recorder per sender shard and merges them). Bounded: at most <c>maxWindows</c> cells (then window recording
/// stops and <see cref="GroundTruthSnapshot.WindowsTruncated"/> is set) and <c>maxInjections</c> listed injections
/// (then they are only counted). The device map holds one entry per fleet device.
/// </summary>
public sealed class GroundTruthRecorder(string format, int maxWindows = 4_000_000, int maxInjections = 200_000)
{
    /// <summary>The tumbling window size.</summary>
    public const long WindowMs = 10_000;

    private readonly object _gate = new();
    private readonly Dictionary<WindowKey, WindowStats> _windows = [];
    private readonly Dictionary<string, DeviceTally> _devices = new(StringComparer.Ordinal);
    private readonly List<Injection> _injections = [];
    private readonly Dictionary<InjectionKind, long> _injectionCounts = [];
    private readonly Dictionary<string, long> _valueFaults = new(StringComparer.Ordinal);
    private bool _windowsTruncated;
    private long _injectionsNotListed;

    /// <summary>The start of the window containing <paramref name="timestampMs"/>.</summary>
    public static long WindowStart(long timestampMs) => timestampMs - ((timestampMs % WindowMs) + WindowMs) % WindowMs;

    /// <summary>Registers a device so it appears in the output even if it sent nothing.</summary>
    public void RegisterDevice(DeviceIdentity device, long clockSkewMs)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            var tally = Tally(device.DeviceId);
            tally.Kind = device.Kind.ToString();
            tally.ClockSkewMs = clockSkewMs;
        }
    }

    /// <summary>A message of <paramref name="deviceId"/> was accepted by the broker.</summary>
    public void RecordPublished(string deviceId)
    {
        lock (_gate)
        {
            Tally(deviceId).Published++;
        }
    }

    /// <summary>A distinct valid reading was accepted: adds its values to their windows.</summary>
    public void RecordReading(string deviceId, long timestampMs, IReadOnlyList<string> metrics, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var windowStart = WindowStart(timestampMs);
        lock (_gate)
        {
            Tally(deviceId).Readings++;
            for (var i = 0; i < metrics.Count; i++)
            {
                var key = new WindowKey(deviceId, metrics[i], windowStart);
                if (_windows.TryGetValue(key, out var stats))
                {
                    _windows[key] = stats.Add(values[i]);
                }
                else if (_windows.Count < maxWindows)
                {
                    _windows[key] = WindowStats.Of(values[i]);
                }
                else
                {
                    _windowsTruncated = true;
                }
            }
        }
    }

    /// <summary>An injected fault reached the broker.</summary>
    public void RecordInjection(Injection injection)
    {
        ArgumentNullException.ThrowIfNull(injection);
        lock (_gate)
        {
            _injectionCounts[injection.Kind] = _injectionCounts.GetValueOrDefault(injection.Kind) + 1;
            var tally = Tally(injection.DeviceId);
            if (injection.Kind == InjectionKind.Malformed)
            {
                tally.Malformed++;
            }
            else if (injection.Kind == InjectionKind.Duplicate)
            {
                tally.Duplicates++;
            }

            if (_injections.Count < maxInjections)
            {
                _injections.Add(injection);
            }
            else
            {
                _injectionsNotListed++;
            }
        }
    }

    /// <summary>A value fault (spike, stuck) was generated.</summary>
    public void RecordValueFault(string name)
    {
        lock (_gate)
        {
            _valueFaults[name] = _valueFaults.GetValueOrDefault(name) + 1;
        }
    }

    /// <summary>A reading was discarded while the device was offline (never sent).</summary>
    public void RecordDiscarded(string deviceId)
    {
        lock (_gate)
        {
            Tally(deviceId).Discarded++;
        }
    }

    /// <summary>Merges recorders over disjoint device sets into one snapshot.</summary>
    public static GroundTruthSnapshot Merge(IEnumerable<GroundTruthRecorder> recorders)
    {
        ArgumentNullException.ThrowIfNull(recorders);
        var snapshot = new GroundTruthSnapshot { WindowMs = WindowMs };
        var injectionCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var recorder in recorders)
        {
            lock (recorder._gate)
            {
                snapshot.Format = recorder.FormatName;
                snapshot.WindowsTruncated |= recorder._windowsTruncated;
                snapshot.InjectionsNotListed += recorder._injectionsNotListed;
                snapshot.Devices.AddRange(recorder._devices.Values);
                snapshot.Windows.AddRange(recorder._windows.Select(w => new WindowRecord(w.Key.DeviceId, w.Key.Metric, w.Key.WindowStartMs, w.Value.Count, w.Value.Sum, w.Value.Min, w.Value.Max)));
                snapshot.Injections.AddRange(recorder._injections);
                foreach (var (kind, count) in recorder._injectionCounts)
                {
                    injectionCounts[kind.ToString()] = injectionCounts.GetValueOrDefault(kind.ToString()) + count;
                }

                foreach (var (name, count) in recorder._valueFaults)
                {
                    snapshot.ValueFaultCounts[name] = snapshot.ValueFaultCounts.GetValueOrDefault(name) + count;
                }
            }
        }

        snapshot.InjectionCounts = injectionCounts;
        snapshot.Devices.Sort((a, b) => string.CompareOrdinal(a.DeviceId, b.DeviceId));
        snapshot.Windows.Sort((a, b) => (string.CompareOrdinal(a.DeviceId, b.DeviceId), string.CompareOrdinal(a.Metric, b.Metric), a.WindowStartMs.CompareTo(b.WindowStartMs)) switch
        {
            (not 0 and var c, _, _) => c,
            (_, not 0 and var c, _) => c,
            (_, _, var c) => c,
        });
        snapshot.Published = snapshot.Devices.Sum(d => d.Published);
        snapshot.Readings = snapshot.Devices.Sum(d => d.Readings);
        return snapshot;
    }

    private string FormatName => format;

    private DeviceTally Tally(string deviceId)
    {
        if (!_devices.TryGetValue(deviceId, out var tally))
        {
            tally = new DeviceTally { DeviceId = deviceId };
            _devices[deviceId] = tally;
        }

        return tally;
    }
}
