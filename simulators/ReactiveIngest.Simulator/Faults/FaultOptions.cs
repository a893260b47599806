namespace ReactiveIngest.Simulator.Faults;

/// <summary>
/// Which faults to inject and how often. Ratios are probabilities in [0, 1]. Per-reading delivery faults
/// (malformed, duplicate, out-of-order, late) are mutually exclusive for one reading, so their sum must be ≤ 1.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>Fraction of readings sent as a malformed payload (never counted in aggregates).</summary>
    public double MalformedRatio { get; set; }

    /// <summary>Fraction of readings published twice with identical payloads.</summary>
    public double DuplicateRatio { get; set; }

    /// <summary>Fraction of readings held back and sent after the device's next reading.</summary>
    public double OutOfOrderRatio { get; set; }

    /// <summary>Fraction of readings sent <see cref="LateByMs"/> later than their event time.</summary>
    public double LateRatio { get; set; }

    /// <summary>How late a late reading is sent (at the device's first slot after this delay). Default 30 s.</summary>
    public int LateByMs { get; set; } = 30_000;

    /// <summary>Fraction of readings whose first metric is multiplied by <see cref="SpikeFactor"/> (valid data, but absurd).</summary>
    public double SpikeRatio { get; set; }

    /// <summary>The spike multiplier. Default 25.</summary>
    public double SpikeFactor { get; set; } = 25;

    /// <summary>Fraction of 60-second blocks in which a device's values are frozen at the block's first value.</summary>
    public double StuckRatio { get; set; }

    /// <summary>Fraction of devices whose clock is off by a constant in [−<see cref="MaxClockSkewMs"/>, +<see cref="MaxClockSkewMs"/>].</summary>
    public double ClockSkewRatio { get; set; }

    /// <summary>Largest clock skew. Default 120 s.</summary>
    public int MaxClockSkewMs { get; set; } = 120_000;

    /// <summary>Fraction of 60-second blocks in which a device drops out for <see cref="DropoutDurationMs"/> at the block's start.</summary>
    public double DropoutRatio { get; set; }

    /// <summary>How long a dropout lasts. Default 15 s (must be below 60 s).</summary>
    public int DropoutDurationMs { get; set; } = 15_000;

    /// <summary>Whether an offline device keeps its readings and uploads them as a batch when back. Default true; when false they are discarded (and counted).</summary>
    public bool OfflineBuffering { get; set; } = true;

    /// <summary>Readings an offline device keeps at most; the oldest is discarded (and counted) beyond. Default 1000.</summary>
    public int OfflineBufferLimit { get; set; } = 1000;

    /// <summary>Every this many ms, a reconnect storm drops <see cref="ReconnectStormFraction"/> of the connections at once; 0 disables.</summary>
    public int ReconnectStormIntervalMs { get; set; }

    /// <summary>Fraction of connections dropped in each reconnect storm. Default 0.2.</summary>
    public double ReconnectStormFraction { get; set; } = 0.2;

    /// <summary>The length of the blocks that stuck and dropout faults are decided for.</summary>
    public const long BlockMs = 60_000;

    /// <summary>Problems, each naming the setting.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        foreach (var (name, value) in new[]
                 {
                     ("malformedRatio", MalformedRatio), ("duplicateRatio", DuplicateRatio), ("outOfOrderRatio", OutOfOrderRatio),
                     ("lateRatio", LateRatio), ("spikeRatio", SpikeRatio), ("stuckRatio", StuckRatio), ("clockSkewRatio", ClockSkewRatio),
                     ("dropoutRatio", DropoutRatio), ("reconnectStormFraction", ReconnectStormFraction),
                 })
        {
            if (!(value >= 0 && value <= 1))
            {
                yield return $"{prefix}.{name} must be in [0, 1] (was {value}).";
            }
        }

        if (MalformedRatio + DuplicateRatio + OutOfOrderRatio + LateRatio > 1)
        {
            yield return $"{prefix}: malformedRatio + duplicateRatio + outOfOrderRatio + lateRatio must be ≤ 1.";
        }

        if (LateByMs < 0)
        {
            yield return $"{prefix}.lateByMs must be ≥ 0 (was {LateByMs}).";
        }

        if (MaxClockSkewMs < 0)
        {
            yield return $"{prefix}.maxClockSkewMs must be ≥ 0 (was {MaxClockSkewMs}).";
        }

        if (DropoutDurationMs < 0 || DropoutDurationMs >= BlockMs)
        {
            yield return $"{prefix}.dropoutDurationMs must be in [0, {BlockMs}) (was {DropoutDurationMs}).";
        }

        if (OfflineBufferLimit < 1)
        {
            yield return $"{prefix}.offlineBufferLimit must be ≥ 1 (was {OfflineBufferLimit}).";
        }

        if (ReconnectStormIntervalMs < 0)
        {
            yield return $"{prefix}.reconnectStormIntervalMs must be ≥ 0 (was {ReconnectStormIntervalMs}).";
        }
    }
}
