namespace ReactiveIngest.Simulator.Devices;

/// <summary>
/// Generates one device's values. Every value is a pure function of (seed, device, time): the model holds
/// only per-device parameters fixed at creation, never state that depends on what was generated before.
/// </summary>
public interface IDeviceModel
{
    /// <summary>The device kind.</summary>
    DeviceKind Kind { get; }

    /// <summary>The metric names this device reports, in payload order. Fixed for the device's life.</summary>
    IReadOnlyList<string> Metrics { get; }

    /// <summary>Decimal places the device rounds its values to (firmware differences between devices).</summary>
    int Decimals { get; }

    /// <summary>How many times more often than the fleet interval this device reports (vibration sensors report fast).</summary>
    int RateMultiplier { get; }

    /// <summary>Writes the value of each metric at <paramref name="timeMs"/> (epoch ms) into <paramref name="values"/>, unrounded.</summary>
    void Sample(long timeMs, Span<double> values);
}
