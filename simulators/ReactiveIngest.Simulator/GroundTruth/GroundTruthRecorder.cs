using ReactiveIngest.Simulator.Devices;

namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>
/// Records what the broker accepted: per-device tallies, count/sum/min/max per (device, metric, 10 s tumbling
/// event-time window) of distinct valid readings, and the injected faults. Thread-safe (one lock; the fleet uses
/// one recorder per sender shard and merges them). Bounded: at most <c>maxWindows</c> cells (then window recording
/// stops and <see cref="GroundTruthSnapshot.WindowsTruncated"/> is set) and <c>maxInjections</c> listed injections
/// (then they are only counted). The device map holds one entry per fleet device.
/// Hot path: each device's ledger keeps its newest window open in a small array, so a reading costs no lookup in
/// the (large, cache-unfriendly) window map; the open window moves into the map when a newer window starts or the
/// recorder is merged. Readings for older windows (late, out of order) go to the map directly.
/// </summary>
public sealed class GroundTruthRecorder(string format, int maxWindows = 4_000_000, int maxInjections = 200_000)
{
    /// <summary>The tumbling window size.</summary>
    public const long WindowMs = 10_000;

    private readonly object _gate = new();
    private readonly Dictionary<WindowKey, WindowStats> _windows = [];
    private readonly Dictionary<string, DeviceLedger> _devices = new(StringComparer.Ordinal);
    private readonly List<Injection> _injections = [];
    private readonly Dictionary<InjectionKind, long> _injectionCounts = [];
    private readonly Dictionary<string, long> _valueFaults = new(StringComparer.Ordinal);
    private bool _windowsTruncated;
    private long _injectionsNotListed;
    private long _cells;

    /// <summary>The start of the window containing <paramref name="timestampMs"/>.</summary>
    public static long WindowStart(long timestampMs) => timestampMs - ((timestampMs % WindowMs) + WindowMs) % WindowMs;

    /// <summary>Registers a device so it appears in the output even if it sent nothing.</summary>
    public void RegisterDevice(DeviceIdentity device, long clockSkewMs)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            var tally = Ledger(device.DeviceId).Tally;
            tally.Kind = device.Kind.ToString();
            tally.ClockSkewMs = clockSkewMs;
        }
    }

    /// <summary>The ledger of <paramref name="deviceId"/>, for the by-ledger (lookup-free) recording methods.</summary>
    internal DeviceLedger LedgerOf(string deviceId)
    {
        lock (_gate)
        {
            return Ledger(deviceId);
        }
    }

    /// <summary>A message of the ledger's device was accepted by the broker.</summary>
    internal void RecordPublished(DeviceLedger ledger)
    {
        lock (_gate)
        {
            ledger.Tally.Published++;
        }
    }

    /// <summary>A distinct valid reading of the ledger's device was accepted: adds its values to their windows.</summary>
    internal void RecordReading(DeviceLedger ledger, long timestampMs, IReadOnlyList<string> metrics, ReadOnlySpan<double> values)
        => RecordReading(ledger, timestampMs, metrics, values, published: false);

    /// <summary>
    /// A message carrying a distinct valid reading of the ledger's device was accepted: <see cref="RecordPublished(DeviceLedger)"/>
    /// and <see cref="RecordReading(DeviceLedger, long, IReadOnlyList{string}, ReadOnlySpan{double})"/> under one lock.
    /// </summary>
    internal void RecordPublishedReading(DeviceLedger ledger, long timestampMs, IReadOnlyList<string> metrics, ReadOnlySpan<double> values)
        => RecordReading(ledger, timestampMs, metrics, values, published: true);

    private void RecordReading(DeviceLedger ledger, long timestampMs, IReadOnlyList<string> metrics, ReadOnlySpan<double> values, bool published)
    {
        var windowStart = WindowStart(timestampMs);
        lock (_gate)
        {
            if (published)
            {
                ledger.Tally.Published++;
            }

            ledger.Tally.Readings++;
            if (ledger.Open is { } open && ledger.OpenStartMs == windowStart && open.Length == metrics.Count)
            {
                for (var i = 0; i < open.Length; i++)
                {
                    open[i] = open[i].Add(values[i]);
                }

                return;
            }

            if (ledger.Open is null || windowStart > ledger.OpenStartMs)
            {
                Close(ledger);
                if (_cells + metrics.Count <= maxWindows)
                {
                    _cells += metrics.Count;
                    var opened = new WindowStats[metrics.Count];
                    for (var i = 0; i < opened.Length; i++)
                    {
                        opened[i] = WindowStats.Of(values[i]);
                    }

                    ledger.Open = opened;
                    ledger.OpenStartMs = windowStart;
                    ledger.OpenMetrics = metrics;
                    return;
                }
            }

            AddToMap(ledger.Tally.DeviceId, windowStart, metrics, values);
        }
    }

    /// <summary>A message of <paramref name="deviceId"/> was accepted by the broker.</summary>
    public void RecordPublished(string deviceId)
    {
        RecordPublished(LedgerOf(deviceId));
    }

    /// <summary>A distinct valid reading was accepted: adds its values to their windows.</summary>
    public void RecordReading(string deviceId, long timestampMs, IReadOnlyList<string> metrics, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        RecordReading(LedgerOf(deviceId), timestampMs, metrics, values);
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
                foreach (var ledger in recorder._devices.Values)
                {
                    recorder.Close(ledger);
                }

                snapshot.Format = recorder.FormatName;
                snapshot.WindowsTruncated |= recorder._windowsTruncated;
                snapshot.InjectionsNotListed += recorder._injectionsNotListed;
                snapshot.Devices.AddRange(recorder._devices.Values.Select(l => l.Tally));
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

    private DeviceTally Tally(string deviceId) => Ledger(deviceId).Tally;

    private DeviceLedger Ledger(string deviceId)
    {
        if (!_devices.TryGetValue(deviceId, out var ledger))
        {
            ledger = new DeviceLedger(new DeviceTally { DeviceId = deviceId });
            _devices[deviceId] = ledger;
        }

        return ledger;
    }

    /// <summary>Moves the ledger's open window into the map (its cells are already counted).</summary>
    private void Close(DeviceLedger ledger)
    {
        if (ledger.Open is not { } open || ledger.OpenMetrics is not { } metrics)
        {
            return;
        }

        for (var i = 0; i < open.Length; i++)
        {
            var key = new WindowKey(ledger.Tally.DeviceId, metrics[i], ledger.OpenStartMs);
            if (_windows.TryGetValue(key, out var stats))
            {
                _windows[key] = stats.Merge(open[i]);
                _cells--;
            }
            else
            {
                _windows[key] = open[i];
            }
        }

        ledger.Open = null;
        ledger.OpenMetrics = null;
    }

    private void AddToMap(string deviceId, long windowStart, IReadOnlyList<string> metrics, ReadOnlySpan<double> values)
    {
        for (var i = 0; i < metrics.Count; i++)
        {
            var key = new WindowKey(deviceId, metrics[i], windowStart);
            if (_windows.TryGetValue(key, out var stats))
            {
                _windows[key] = stats.Add(values[i]);
            }
            else if (_cells < maxWindows)
            {
                _windows[key] = WindowStats.Of(values[i]);
                _cells++;
            }
            else
            {
                _windowsTruncated = true;
            }
        }
    }

    /// <summary>One device's tally and its newest window, kept open for cheap updates.</summary>
    internal sealed class DeviceLedger(DeviceTally tally)
    {
        public DeviceTally Tally { get; } = tally;

        public WindowStats[]? Open { get; set; }

        public IReadOnlyList<string>? OpenMetrics { get; set; }

        public long OpenStartMs { get; set; }
    }
}
