namespace ReactiveIngest.Simulator.Devices;

/// <summary>
/// Machine vibration sensor reporting at a high rate: RMS velocity and peak, with noise, and bursts
/// (a 10-second block is a burst with a per-device probability) where the amplitude rises several-fold.
/// </summary>
public sealed class VibrationSensorModel : IDeviceModel
{
    /// <summary>Length of the blocks that are or are not bursts.</summary>
    public const long BurstBlockMs = 10_000;

    private readonly ulong _seed;
    private readonly ulong _device;
    private readonly double _baseRms;
    private readonly double _burstProbability;
    private readonly double _burstGain;
    private readonly double _crestFactor;

    /// <summary>Creates the model; the device reports <paramref name="rateMultiplier"/> times per fleet interval.</summary>
    public VibrationSensorModel(ulong seed, int device, int rateMultiplier)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rateMultiplier, 1);
        _seed = seed;
        _device = (ulong)device;
        var p = new ModelParameters(seed, device);
        _baseRms = p.Get(0, 0.3, 3.0);
        _burstProbability = p.Get(1, 0.02, 0.10);
        _burstGain = p.Get(2, 4, 10);
        _crestFactor = p.Get(3, 1.4, 3.0);
        Decimals = 2 + (int)p.Get(4, 0, 2);
        RateMultiplier = rateMultiplier;
    }

    /// <inheritdoc />
    public DeviceKind Kind => DeviceKind.Vibration;

    /// <inheritdoc />
    public IReadOnlyList<string> Metrics { get; } = ["vibration_rms", "vibration_peak"];

    /// <inheritdoc />
    public int Decimals { get; }

    /// <inheritdoc />
    public int RateMultiplier { get; }

    /// <summary>True when <paramref name="timeMs"/> falls in a burst block.</summary>
    public bool IsBurst(long timeMs) =>
        DeterministicNoise.Uniform(_seed, _device, NoiseStream.Burst, Math.DivRem(timeMs, BurstBlockMs).Quotient) < _burstProbability;

    /// <inheritdoc />
    public void Sample(long timeMs, Span<double> values)
    {
        var gain = IsBurst(timeMs) ? _burstGain : 1.0;
        var wobble = 1.0 + (0.15 * DeterministicNoise.Gaussian(_seed, _device, NoiseStream.Vibration, timeMs));
        var rms = Math.Max(0.0, _baseRms * gain * wobble);
        var crest = _crestFactor * (1.0 + (0.1 * DeterministicNoise.Uniform(_seed, _device, NoiseStream.Crest, timeMs)));
        values[0] = rms;
        values[1] = rms * crest;
    }
}
