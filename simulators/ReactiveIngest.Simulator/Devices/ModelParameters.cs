namespace ReactiveIngest.Simulator.Devices;

/// <summary>Draws a device's fixed parameters from the seed: parameter <c>n</c> is always the same number.</summary>
internal readonly struct ModelParameters(ulong seed, int device)
{
    /// <summary>Parameter number <paramref name="n"/>, uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Get(int n, double min, double max) =>
        DeterministicNoise.Between(seed, (ulong)device, NoiseStream.Parameter, n, min, max);

    /// <summary>True with probability <paramref name="p"/> (parameter number <paramref name="n"/>).</summary>
    public bool Chance(int n, double p) => DeterministicNoise.Uniform(seed, (ulong)device, NoiseStream.Parameter, n) < p;
}
