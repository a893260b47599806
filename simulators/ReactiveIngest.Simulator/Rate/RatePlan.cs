namespace ReactiveIngest.Simulator.Rate;

/// <summary>
/// The pure arithmetic of the schedule, in microseconds since the epoch: each device's first intended time
/// (ramp-up and jitter) and the intended time of each next reading (bursts).
/// </summary>
public sealed class RatePlan
{
    private readonly RateOptions _options;
    private readonly long _startUs;

    /// <summary>Creates the plan for a run starting at <paramref name="startUs"/> whose uncapped fleet rate is <paramref name="uncappedRatePerSec"/>.</summary>
    public RatePlan(RateOptions options, long startUs, double uncappedRatePerSec)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _startUs = startUs;
        Stretch = options.TotalRateCap > 0 && uncappedRatePerSec > options.TotalRateCap ? uncappedRatePerSec / options.TotalRateCap : 1.0;
        TargetRatePerSec = uncappedRatePerSec / Stretch;
    }

    /// <summary>The factor every interval is multiplied by to respect the total rate cap (≥ 1).</summary>
    public double Stretch { get; }

    /// <summary>The intended fleet rate outside bursts, after the cap.</summary>
    public double TargetRatePerSec { get; }

    /// <summary>The run's start.</summary>
    public long StartUs => _startUs;

    /// <summary>The interval of a device with <paramref name="rateMultiplier"/>, after the cap.</summary>
    public long IntervalUs(int rateMultiplier) => Math.Max(1000, (long)(_options.IntervalMs * 1000 * Stretch / rateMultiplier));

    /// <summary>The first intended time of device <paramref name="index"/> of <paramref name="devices"/>; <paramref name="jitter01"/> ∈ [0, 1).</summary>
    public long FirstUs(int index, int devices, double jitter01, long intervalUs)
    {
        var ramp = devices <= 1 ? 0 : (long)((double)_options.RampUpMs * 1000 * index / devices);
        var jitter = (long)(jitter01 * _options.StartJitterMs * 1000);

        // Without ramp-up or jitter, spread the devices' phases over one interval so the fleet does not send in lock-step.
        var phase = _options.RampUpMs == 0 && _options.StartJitterMs == 0 ? (long)(jitter01 * intervalUs) : 0;
        return _startUs + ramp + jitter + phase;
    }

    /// <summary>True when <paramref name="timeUs"/> falls in a burst.</summary>
    public bool InBurst(long timeUs)
    {
        if (_options.BurstEveryMs <= 0)
        {
            return false;
        }

        var sinceStart = timeUs - _startUs;
        return sinceStart >= 0 && sinceStart % (_options.BurstEveryMs * 1000L) < _options.BurstDurationMs * 1000L;
    }

    /// <summary>The intended time after <paramref name="previousUs"/> for a device with <paramref name="intervalUs"/>.</summary>
    public long NextUs(long previousUs, long intervalUs) =>
        previousUs + (InBurst(previousUs) ? Math.Max(1000, (long)(intervalUs / _options.BurstFactor)) : intervalUs);

    /// <summary>How late a slot may be taken before it counts as missed.</summary>
    public long ToleranceUs(long intervalUs) => _options.MissedSlotToleranceMs > 0 ? _options.MissedSlotToleranceMs * 1000L : intervalUs;
}
