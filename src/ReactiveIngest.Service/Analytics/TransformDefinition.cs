namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// One configured Rx transform: <c>ReactiveIngest:Transforms:N</c>. It reads one metric (optionally of some devices
/// only) and writes a derived metric, e.g. <c>temperature</c> → <c>temperature_ewma</c>. Derived readings keep the
/// device, tags and event time of the reading they come from and flow on like any other reading (raw writes,
/// windows, live view, alert rules).
/// </summary>
public sealed class TransformDefinition
{
    /// <summary>The metric the transform reads (exact name).</summary>
    public string Metric { get; set; } = string.Empty;

    /// <summary>When not empty, only these devices (exact ids) are transformed.</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary><c>Deadband</c>, <c>RateOfChange</c>, <c>MovingAverage</c> or <c>Ewma</c> (case-insensitive).</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>The derived metric's name; must differ from <see cref="Metric"/>.</summary>
    public string Output { get; set; } = string.Empty;

    /// <summary>Deadband: pass a reading only when it differs from the last passed one by more than this.</summary>
    public double? Threshold { get; set; }

    /// <summary>MovingAverage: the number of most recent readings averaged.</summary>
    public int? Count { get; set; }

    /// <summary>Ewma: the time constant τ in event time; the new value weighs 1 − e^(−Δt/τ).</summary>
    public TimeSpan? TimeConstant { get; set; }

    /// <summary>
    /// The most devices the transform keeps state for. When a new device arrives at the limit, the device whose state
    /// was created first is forgotten and starts afresh if it reports again.
    /// </summary>
    public int MaxDevices { get; set; } = 100_000;
}
