namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// One alert rule: <c>ReactiveIngest:Alerts:Rules:N</c>. A <c>Threshold</c> rule is raised when the value goes above
/// <see cref="High"/> (or below <see cref="Low"/>) and cleared only when it comes back past <see cref="Clear"/>, so a
/// value hovering at the threshold does not flap. A <c>StuckSensor</c> rule is raised when a device reports the same
/// value <see cref="Repeats"/> times in a row and cleared when the value changes.
/// </summary>
public sealed class AlertRuleDefinition
{
    /// <summary>The rule's name, carried in every event (letters, digits, '_', '-', '.').</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary><c>Threshold</c> or <c>StuckSensor</c> (case-insensitive).</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>The metric the rule watches (exact name; a derived metric of a transform works too).</summary>
    public string Metric { get; set; } = string.Empty;

    /// <summary>When not empty, only these devices (exact ids).</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>Threshold: raise when the value is above this (set either High or Low).</summary>
    public double? High { get; set; }

    /// <summary>Threshold: raise when the value is below this (set either High or Low).</summary>
    public double? Low { get; set; }

    /// <summary>Threshold: clear when the value is below this (High rule, ≤ High) or above it (Low rule, ≥ Low).</summary>
    public double? Clear { get; set; }

    /// <summary>StuckSensor: how many equal values in a row raise the alert (≥ 2).</summary>
    public int? Repeats { get; set; }

    /// <summary>The name of the target in <c>ReactiveIngest:Alerts:Targets</c>; may be left out when there is only one.</summary>
    public string? Target { get; set; }

    /// <summary>Publishes to this topic instead of the target's topic.</summary>
    public string? Topic { get; set; }

    /// <summary>
    /// The most devices the rule keeps alarm state for; a new device at the limit evicts the device whose state was
    /// created first (an alarm raised for it is then never cleared).
    /// </summary>
    public int MaxDevices { get; set; } = 100_000;
}
