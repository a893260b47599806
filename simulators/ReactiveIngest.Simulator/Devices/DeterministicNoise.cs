namespace ReactiveIngest.Simulator.Devices;

/// <summary>
/// Stateless pseudo-random numbers: every value is a hash of (seed, device, stream, position), so a model
/// can compute its value at any time without replaying history, and two runs with the same seed agree.
/// </summary>
public static class DeterministicNoise
{
    /// <summary>A 64-bit hash of the inputs (SplitMix64 finaliser applied to a combination of them).</summary>
    public static ulong Hash(ulong seed, ulong device, ulong stream, long position)
    {
        var x = seed * 0x9E3779B97F4A7C15UL;
        x = Mix(x ^ (device + 0x632BE59BD9B4E019UL));
        x = Mix(x ^ (stream * 0xD1B54A32D192ED03UL));
        x = Mix(x ^ unchecked((ulong)position));
        return x;
    }

    /// <summary>A uniform value in [0, 1).</summary>
    public static double Uniform(ulong seed, ulong device, ulong stream, long position) =>
        (Hash(seed, device, stream, position) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform value in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static double Between(ulong seed, ulong device, ulong stream, long position, double min, double max) =>
        min + ((max - min) * Uniform(seed, device, stream, position));

    /// <summary>A standard normal value (Box–Muller over two independent uniforms).</summary>
    public static double Gaussian(ulong seed, ulong device, ulong stream, long position)
    {
        var u1 = 1.0 - Uniform(seed, device, stream, position);
        var u2 = Uniform(seed, device, stream ^ 0xA5A5A5A5UL, position);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>
    /// Smooth noise in [-1, 1]: uniform values at multiples of <paramref name="periodMs"/>, interpolated with a
    /// cosine curve in between, so it wanders slowly and continuously (sensor drift).
    /// </summary>
    public static double Smooth(ulong seed, ulong device, ulong stream, long timeMs, long periodMs)
    {
        var cell = Math.DivRem(timeMs, periodMs, out var offset);
        if (offset < 0)
        {
            cell--;
            offset += periodMs;
        }

        var a = (2.0 * Uniform(seed, device, stream, cell)) - 1.0;
        var b = (2.0 * Uniform(seed, device, stream, cell + 1)) - 1.0;
        var t = (1.0 - Math.Cos(Math.PI * offset / periodMs)) / 2.0;
        return a + ((b - a) * t);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
