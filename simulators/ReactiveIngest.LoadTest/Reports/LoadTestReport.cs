namespace ReactiveIngest.Simulator.Reports;

/// <summary>
/// The load-test report (issue 8). A field is null when the run could not measure it — never an estimate.
/// <c>loadtest</c> verifies against InfluxDB (<see cref="VerifiedAgainst"/> = <c>influxdb</c>): <see cref="Lost"/>,
/// <see cref="Duplicates"/> and <see cref="RawPointsInInflux"/> count raw points (one per metric of a reading).
/// </summary>
public sealed record LoadTestReport
{
    /// <summary>The scenario name.</summary>
    public required string Scenario { get; init; }

    /// <summary>Configured send duration.</summary>
    public required double DurationSec { get; init; }

    /// <summary>Simulated devices.</summary>
    public required int Devices { get; init; }

    /// <summary>Intended msg/s outside bursts.</summary>
    public required double TargetRate { get; init; }

    /// <summary>Publishes started.</summary>
    public required long Sent { get; init; }

    /// <summary>Publishes the broker accepted.</summary>
    public required long AcceptedByBroker { get; init; }

    /// <summary>Raw points found in InfluxDB. Null: not measured by this runner.</summary>
    public long? RawPointsInInflux { get; init; }

    /// <summary>Accepted messages the verifier did not receive (see <see cref="VerifiedAgainst"/>).</summary>
    public long? Lost { get; init; }

    /// <summary>Messages the verifier received more often than they were accepted (redeliveries, not injected duplicates).</summary>
    public long? Duplicates { get; init; }

    /// <summary>Ground-truth windows compared.</summary>
    public long? AggregatesChecked { get; init; }

    /// <summary>Windows whose count/sum/min/max differ.</summary>
    public long? AggregateMismatches { get; init; }

    /// <summary>Dead letters reported by the service. Null: not measured by this runner.</summary>
    public long? DeadLetters { get; init; }

    /// <summary>Accepted messages per second of send time.</summary>
    public required double ThroughputPerSec { get; init; }

    /// <summary>Publish latency from intended time (coordinated-omission corrected).</summary>
    public LatencySummary? LatencyMs { get; init; }

    /// <summary>CPU seconds used by the service. Null: not measured by this runner.</summary>
    public double? ServiceCpuSeconds { get; init; }

    /// <summary>Peak resident memory of the service. Null: not measured by this runner.</summary>
    public double? ServicePeakRssMb { get; init; }

    /// <summary>What delivery was checked against: <c>influxdb</c> (full-stack <c>loadtest</c>) or <c>none</c> (<c>fleet</c>).</summary>
    public required string VerifiedAgainst { get; init; }

    /// <summary>QoS used.</summary>
    public required int Qos { get; init; }

    /// <summary>Connections used.</summary>
    public required int Connections { get; init; }

    /// <summary>Slots taken later than their tolerance.</summary>
    public required long MissedSlots { get; init; }

    /// <summary>Messages the verifier received.</summary>
    public long? SubscriberReceived { get; init; }

    /// <summary>Publishes that failed with their connection.</summary>
    public required long FailedPublishes { get; init; }

    /// <summary>Injected fault totals.</summary>
    public required IReadOnlyDictionary<string, long> Injections { get; init; }

    /// <summary>The transport: mqtt, kafka or http.</summary>
    public string Transport { get; init; } = "mqtt";

    /// <summary>Raw points the ground truth says InfluxDB should hold. Null: not verified.</summary>
    public long? ExpectedRawPoints { get; init; }

    /// <summary>Readings the service reported receiving. Null: not measured.</summary>
    public long? ServiceReceived { get; init; }

    /// <summary>The ceiling measurement (<c>--find-ceiling</c>). Null: not run.</summary>
    public CeilingReport? Ceiling { get; init; }

    /// <summary>The service settings the run overrode (<c>default service settings</c> when none).</summary>
    public string ServiceSettings { get; init; } = "default service settings";

    /// <summary>The verified window's name (<c>10s</c>, <c>1h</c>).</summary>
    public string Window { get; init; } = "10s";

    /// <summary>How the drain ended: complete, stalled (counts stopped changing short of the expected ones) or timedOut.</summary>
    public string? Drain { get; init; }

    /// <summary>Late readings the service counted (summed over restarts; a lower bound when it was killed). Null: not read.</summary>
    public long? LateReadings { get; init; }

    /// <summary>The first few aggregate mismatches (window key, expected and stored count/sum/min/max).</summary>
    public IReadOnlyList<string> MismatchExamples { get; init; } = [];

    /// <summary>The service kills (<c>--kill-service</c>). Null: none.</summary>
    public CrashReport? Crash { get; init; }

    /// <summary>The InfluxDB outage (<c>--influx-outage</c>). Null: none.</summary>
    public OutageReport? Outage { get; init; }
}
