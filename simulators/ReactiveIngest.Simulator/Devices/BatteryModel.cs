namespace ReactiveIngest.Simulator.Devices;

/// <summary>
/// Battery-powered device: the level drains linearly from 100 % to a per-device floor, then charges back
/// to 100 %, in a per-device cycle with a per-device phase; voltage follows the level. Values stay in 0..100.
/// Some devices also report whether they are charging (1/0).
/// </summary>
public sealed class BatteryModel : IDeviceModel
{
    private readonly ulong _seed;
    private readonly ulong _device;
    private readonly long _drainMs;
    private readonly long _chargeMs;
    private readonly long _phaseMs;
    private readonly double _floorPct;

    /// <summary>Creates the model of device <paramref name="device"/> with parameters drawn from <paramref name="seed"/>.</summary>
    public BatteryModel(ulong seed, int device)
    {
        _seed = seed;
        _device = (ulong)device;
        var p = new ModelParameters(seed, device);
        _drainMs = (long)p.Get(0, 4 * ModelTime.HourMs, 20 * ModelTime.HourMs);
        _chargeMs = (long)p.Get(1, 0.5 * ModelTime.HourMs, 3 * ModelTime.HourMs);
        _phaseMs = (long)p.Get(2, 0, _drainMs + _chargeMs);
        _floorPct = p.Get(3, 3, 25);
        Decimals = 1 + (int)p.Get(4, 0, 2);
        Metrics = p.Chance(5, 0.5) ? ["battery_pct", "voltage_v", "charging"] : ["battery_pct", "voltage_v"];
    }

    /// <inheritdoc />
    public DeviceKind Kind => DeviceKind.Battery;

    /// <inheritdoc />
    public IReadOnlyList<string> Metrics { get; }

    /// <inheritdoc />
    public int Decimals { get; }

    /// <inheritdoc />
    public int RateMultiplier => 1;

    /// <summary>True while the battery is charging at <paramref name="timeMs"/>.</summary>
    public bool IsCharging(long timeMs) => PositionInCycle(timeMs) >= _drainMs;

    /// <inheritdoc />
    public void Sample(long timeMs, Span<double> values)
    {
        var position = PositionInCycle(timeMs);
        var span = 100.0 - _floorPct;
        var level = position < _drainMs
            ? 100.0 - (span * position / _drainMs)
            : _floorPct + (span * (position - _drainMs) / _chargeMs);
        level = Math.Clamp(level + (0.3 * DeterministicNoise.Gaussian(_seed, _device, NoiseStream.Battery, timeMs)), 0, 100);
        values[0] = level;
        values[1] = 3.3 + (0.9 * level / 100) + (0.01 * DeterministicNoise.Gaussian(_seed, _device, NoiseStream.Voltage, timeMs));
        if (values.Length > 2 && Metrics.Count > 2)
        {
            values[2] = position >= _drainMs ? 1 : 0;
        }
    }

    private long PositionInCycle(long timeMs)
    {
        var cycle = _drainMs + _chargeMs;
        var position = (timeMs - ModelTime.ReferenceMs + _phaseMs) % cycle;
        return position < 0 ? position + cycle : position;
    }
}
