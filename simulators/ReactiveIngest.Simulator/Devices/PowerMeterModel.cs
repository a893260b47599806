namespace ReactiveIngest.Simulator.Devices;

/// <summary>
/// Electricity meter. The load follows a daily profile P(t) = P0·(1 + a·sin(ωt + φ)) with a &lt; 1, so it is
/// always positive; the energy counter is its exact integral since 2020-01-01, hence strictly increasing. The
/// reported power adds appliance switching noise; the counter does not.
/// </summary>
public sealed class PowerMeterModel : IDeviceModel
{
    private const double Omega = 2.0 * Math.PI / ModelTime.DayMs;

    private readonly ulong _seed;
    private readonly ulong _device;
    private readonly double _basePowerW;
    private readonly double _profileAmplitude;
    private readonly double _phase;

    /// <summary>Creates the model of device <paramref name="device"/> with parameters drawn from <paramref name="seed"/>.</summary>
    public PowerMeterModel(ulong seed, int device)
    {
        _seed = seed;
        _device = (ulong)device;
        var p = new ModelParameters(seed, device);
        _basePowerW = p.Get(0, 200, 5000);
        _profileAmplitude = p.Get(1, 0.1, 0.7);
        _phase = p.Get(2, 0, 2 * Math.PI);
        Decimals = 1 + (int)p.Get(3, 0, 2);
    }

    /// <inheritdoc />
    public DeviceKind Kind => DeviceKind.PowerMeter;

    /// <inheritdoc />
    public IReadOnlyList<string> Metrics { get; } = ["power_w", "energy_wh"];

    /// <inheritdoc />
    public int Decimals { get; }

    /// <inheritdoc />
    public int RateMultiplier => 1;

    /// <summary>The smooth load at <paramref name="timeMs"/> in watts (always ≥ P0·(1 − a) &gt; 0).</summary>
    public double LoadW(long timeMs) =>
        _basePowerW * (1.0 + (_profileAmplitude * Math.Sin((Omega * (timeMs - ModelTime.ReferenceMs)) + _phase)));

    /// <summary>Energy consumed since 2020-01-01 in watt-hours: the integral of <see cref="LoadW"/>.</summary>
    public double EnergyWh(long timeMs)
    {
        double t = timeMs - ModelTime.ReferenceMs;
        var integralWms = _basePowerW * (t + (_profileAmplitude / Omega * (Math.Cos(_phase) - Math.Cos((Omega * t) + _phase))));
        return integralWms / ModelTime.HourMs;
    }

    /// <inheritdoc />
    public void Sample(long timeMs, Span<double> values)
    {
        var switching = 0.05 * _basePowerW * DeterministicNoise.Smooth(_seed, _device, NoiseStream.Power, timeMs, 60_000);
        values[0] = Math.Max(0.0, LoadW(timeMs) + switching);
        values[1] = EnergyWh(timeMs);
    }
}
