namespace ReactiveIngest.Simulator.Devices;

/// <summary>Relative weights of the device kinds in a fleet (they need not sum to 1).</summary>
public sealed class DeviceMix
{
    /// <summary>Weight of environmental sensors. Default 0.4.</summary>
    public double Environmental { get; set; } = 0.4;

    /// <summary>Weight of vibration sensors. Default 0.1.</summary>
    public double Vibration { get; set; } = 0.1;

    /// <summary>Weight of power meters. Default 0.2.</summary>
    public double PowerMeter { get; set; } = 0.2;

    /// <summary>Weight of GPS trackers. Default 0.15.</summary>
    public double GpsTracker { get; set; } = 0.15;

    /// <summary>Weight of battery devices. Default 0.15.</summary>
    public double Battery { get; set; } = 0.15;

    /// <summary>The kind whose cumulative weight range contains <paramref name="u"/> ∈ [0, 1).</summary>
    public DeviceKind Pick(double u)
    {
        var weights = new[] { Environmental, Vibration, PowerMeter, GpsTracker, Battery };
        var total = weights.Sum();
        var target = u * total;
        var cumulative = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (target < cumulative)
            {
                return (DeviceKind)i;
            }
        }

        return DeviceKind.Battery;
    }

    /// <summary>Problems with the weights, each naming the setting.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        foreach (var (name, value) in new[] { ("environmental", Environmental), ("vibration", Vibration), ("powerMeter", PowerMeter), ("gpsTracker", GpsTracker), ("battery", Battery) })
        {
            if (value < 0 || double.IsNaN(value))
            {
                yield return $"{prefix}.{name} must be ≥ 0 (was {value}).";
            }
        }

        if (Environmental + Vibration + PowerMeter + GpsTracker + Battery <= 0)
        {
            yield return $"{prefix}: at least one weight must be positive.";
        }
    }
}
