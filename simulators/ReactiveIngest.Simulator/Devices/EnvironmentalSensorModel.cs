namespace ReactiveIngest.Simulator.Devices;

/// <summary>
/// Indoor/outdoor environmental sensor. Temperature follows a daily cosine peaking in the afternoon, plus a
/// slow drift (smooth noise over a week) and white noise; humidity moves against temperature. About a third of
/// the devices also report barometric pressure.
/// </summary>
public sealed class EnvironmentalSensorModel : IDeviceModel
{
    private readonly ulong _seed;
    private readonly ulong _device;
    private readonly double _baseTemperature;
    private readonly double _dailyAmplitude;
    private readonly long _peakOffsetMs;
    private readonly double _driftAmplitude;
    private readonly double _noiseSigma;
    private readonly double _baseHumidity;
    private readonly double _humidityPerDegree;
    private readonly double _basePressure;

    /// <summary>Creates the model of device <paramref name="device"/> with parameters drawn from <paramref name="seed"/>.</summary>
    public EnvironmentalSensorModel(ulong seed, int device)
    {
        _seed = seed;
        _device = (ulong)device;
        var p = new ModelParameters(seed, device);
        _baseTemperature = p.Get(0, 12, 26);
        _dailyAmplitude = p.Get(1, 1.5, 6);
        _peakOffsetMs = (long)p.Get(2, 13 * ModelTime.HourMs, 17 * ModelTime.HourMs);
        _driftAmplitude = p.Get(3, 0.2, 1.5);
        _noiseSigma = p.Get(4, 0.02, 0.25);
        _baseHumidity = p.Get(5, 35, 65);
        _humidityPerDegree = p.Get(6, 1.0, 3.0);
        _basePressure = p.Get(7, 990, 1030);
        Decimals = 1 + (int)p.Get(8, 0, 3);
        Metrics = p.Chance(9, 1.0 / 3) ? ["temperature", "humidity", "pressure"] : ["temperature", "humidity"];
    }

    /// <inheritdoc />
    public DeviceKind Kind => DeviceKind.Environmental;

    /// <inheritdoc />
    public IReadOnlyList<string> Metrics { get; }

    /// <inheritdoc />
    public int Decimals { get; }

    /// <inheritdoc />
    public int RateMultiplier => 1;

    /// <inheritdoc />
    public void Sample(long timeMs, Span<double> values)
    {
        var phase = 2.0 * Math.PI * (timeMs - _peakOffsetMs) / ModelTime.DayMs;
        var daily = _dailyAmplitude * Math.Cos(phase);
        var drift = _driftAmplitude * DeterministicNoise.Smooth(_seed, _device, NoiseStream.Drift, timeMs, 7 * ModelTime.DayMs);
        var noise = _noiseSigma * DeterministicNoise.Gaussian(_seed, _device, NoiseStream.Temperature, timeMs);
        values[0] = _baseTemperature + daily + drift + noise;

        var humidityNoise = 0.8 * DeterministicNoise.Gaussian(_seed, _device, NoiseStream.Humidity, timeMs);
        values[1] = Math.Clamp(_baseHumidity - (_humidityPerDegree * daily) + humidityNoise, 0, 100);

        if (values.Length > 2 && Metrics.Count > 2)
        {
            var weather = 8 * DeterministicNoise.Smooth(_seed, _device, NoiseStream.Pressure, timeMs, 2 * ModelTime.DayMs);
            values[2] = _basePressure + weather;
        }
    }
}
