namespace ReactiveIngest.Core.Model;

/// <summary>Addition and subtraction of epoch-nanosecond values that clamp instead of overflowing.</summary>
public static class Saturating
{
    /// <summary><paramref name="a"/> + <paramref name="b"/>, clamped to the range of <see cref="long"/>.</summary>
    public static long Add(long a, long b)
    {
        var r = unchecked(a + b);
        if (((a ^ r) & (b ^ r)) < 0)
        {
            return a < 0 ? long.MinValue : long.MaxValue;
        }

        return r;
    }

    /// <summary><paramref name="a"/> − <paramref name="b"/>, clamped to the range of <see cref="long"/>.</summary>
    public static long Subtract(long a, long b)
    {
        var r = unchecked(a - b);
        if (((a ^ b) & (a ^ r)) < 0)
        {
            return a < 0 ? long.MinValue : long.MaxValue;
        }

        return r;
    }

    /// <summary>Largest multiple of <paramref name="divisor"/> not above <paramref name="value"/> (floor, also for negatives).</summary>
    public static long FloorToMultiple(long value, long divisor)
    {
        var remainder = value % divisor;
        if (remainder < 0)
        {
            remainder += divisor;
        }

        return value - remainder;
    }
}
