namespace ReactiveIngest.Simulator.Devices;

/// <summary>The kinds of simulated device.</summary>
public enum DeviceKind
{
    /// <summary>Temperature and humidity with a daily cycle, noise and slow drift.</summary>
    Environmental = 0,

    /// <summary>Vibration RMS and peak at a high rate, with bursts.</summary>
    Vibration = 1,

    /// <summary>Power draw with a load profile and a monotonic energy counter.</summary>
    PowerMeter = 2,

    /// <summary>Position, speed and heading along a closed route.</summary>
    GpsTracker = 3,

    /// <summary>Battery level that drains and charges, with voltage.</summary>
    Battery = 4,
}
