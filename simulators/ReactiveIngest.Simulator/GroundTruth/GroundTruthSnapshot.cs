namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>
/// What a run sent, as written to the ground-truth JSON file: per device, per (device, metric, window)
/// aggregates of the distinct valid readings, and the list of injected faults.
/// </summary>
public sealed class GroundTruthSnapshot
{
    /// <summary>Tumbling window size. 10 000 ms.</summary>
    public long WindowMs { get; set; }

    /// <summary>The payload format sent.</summary>
    public string Format { get; set; } = string.Empty;

    /// <summary>Total messages accepted by the broker.</summary>
    public long Published { get; set; }

    /// <summary>Total distinct valid readings accepted.</summary>
    public long Readings { get; set; }

    /// <summary>True when the window limit was reached and later windows were not recorded (counts stay exact).</summary>
    public bool WindowsTruncated { get; set; }

    /// <summary>Injections counted but not listed because the list limit was reached.</summary>
    public long InjectionsNotListed { get; set; }

    /// <summary>Injection totals by kind.</summary>
    public Dictionary<string, long> InjectionCounts { get; set; } = [];

    /// <summary>Value-fault totals (spike, stuck): valid data that an anomaly detector, not a verifier, should notice.</summary>
    public Dictionary<string, long> ValueFaultCounts { get; set; } = [];

    /// <summary>Per-device tallies.</summary>
    public List<DeviceTally> Devices { get; set; } = [];

    /// <summary>Aggregates of distinct valid readings by event-time window.</summary>
    public List<WindowRecord> Windows { get; set; } = [];

    /// <summary>Malformed, duplicate, late, out-of-order and offline-batch injections, in acceptance order per recorder.</summary>
    public List<Injection> Injections { get; set; } = [];

    /// <summary>The windows as a dictionary.</summary>
    public Dictionary<WindowKey, WindowStats> WindowMap() =>
        Windows.ToDictionary(w => new WindowKey(w.DeviceId, w.Metric, w.WindowStartMs), w => new WindowStats(w.Count, w.Sum, w.Min, w.Max));
}
