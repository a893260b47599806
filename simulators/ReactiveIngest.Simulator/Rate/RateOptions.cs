namespace ReactiveIngest.Simulator.Rate;

/// <summary>The open-model schedule: when every device means to send.</summary>
public sealed class RateOptions
{
    /// <summary>Per-device interval between readings (vibration sensors divide it by their rate multiplier). Default 1000 ms.</summary>
    public double IntervalMs { get; set; } = 1000;

    /// <summary>Cap on the fleet's total intended rate in msg/s; 0 means none. When the fleet would exceed it, every interval is stretched.</summary>
    public double TotalRateCap { get; set; }

    /// <summary>Device start times are spread evenly over this period. Default 0.</summary>
    public int RampUpMs { get; set; }

    /// <summary>Each device's start is delayed by a further deterministic random amount in [0, this). Default 0.</summary>
    public int StartJitterMs { get; set; }

    /// <summary>Every this many ms a burst starts; 0 disables bursts.</summary>
    public int BurstEveryMs { get; set; }

    /// <summary>How long a burst lasts. Default 5000 ms.</summary>
    public int BurstDurationMs { get; set; } = 5000;

    /// <summary>During a burst every device sends this many times faster. Default 4.</summary>
    public double BurstFactor { get; set; } = 4;

    /// <summary>A slot taken later than this after its intended time is counted as missed; 0 means one interval of the device. Default 0.</summary>
    public int MissedSlotToleranceMs { get; set; }

    /// <summary>Whether missed slots are still sent. Default <see cref="MissedSlotPolicy.SendLate"/>.</summary>
    public MissedSlotPolicy MissedSlots { get; set; } = MissedSlotPolicy.SendLate;

    /// <summary>Problems, each naming the setting.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (!(IntervalMs >= 1))
        {
            yield return $"{prefix}.intervalMs must be ≥ 1 (was {IntervalMs}).";
        }

        if (!(TotalRateCap >= 0))
        {
            yield return $"{prefix}.totalRateCap must be ≥ 0 (was {TotalRateCap}).";
        }

        if (RampUpMs < 0 || StartJitterMs < 0 || BurstEveryMs < 0 || BurstDurationMs < 0 || MissedSlotToleranceMs < 0)
        {
            yield return $"{prefix}: rampUpMs, startJitterMs, burstEveryMs, burstDurationMs and missedSlotToleranceMs must be ≥ 0.";
        }

        if (BurstEveryMs > 0 && BurstDurationMs >= BurstEveryMs)
        {
            yield return $"{prefix}.burstDurationMs must be shorter than burstEveryMs.";
        }

        if (!(BurstFactor >= 1))
        {
            yield return $"{prefix}.burstFactor must be ≥ 1 (was {BurstFactor}).";
        }
    }
}
