namespace ReactiveIngest.Core.Codecs;

/// <summary>Converts numeric epoch timestamps in a given or inferred unit to epoch nanoseconds.</summary>
public static class EpochTimestamp
{
    /// <summary>Values with an absolute value below this are seconds in <see cref="TimestampUnit.Auto"/> mode.</summary>
    public const double SecondsBelow = 1e11;

    /// <summary>Values with an absolute value below this (and not seconds) are milliseconds in auto mode.</summary>
    public const double MillisecondsBelow = 1e14;

    /// <summary>Values with an absolute value below this (and not milliseconds) are microseconds in auto mode.</summary>
    public const double MicrosecondsBelow = 1e17;

    /// <summary>
    /// The unit <see cref="TimestampUnit.Auto"/> picks for <paramref name="value"/>. The rule: |v| &lt; 1e11 is
    /// seconds (1e11 s is the year 5138), |v| &lt; 1e14 milliseconds, |v| &lt; 1e17 microseconds, otherwise
    /// nanoseconds. Every unit therefore covers 1973-03-03 to 5138-11-16 unambiguously; a millisecond,
    /// microsecond or nanosecond timestamp before 1973-03-03 would be read in a coarser unit, so configure the
    /// unit explicitly for such data.
    /// </summary>
    public static TimestampUnit InferUnit(double value)
    {
        var magnitude = Math.Abs(value);
        return magnitude < SecondsBelow ? TimestampUnit.Seconds
            : magnitude < MillisecondsBelow ? TimestampUnit.Milliseconds
            : magnitude < MicrosecondsBelow ? TimestampUnit.Microseconds
            : TimestampUnit.Nanoseconds;
    }

    /// <summary>Nanoseconds per unit (<see cref="TimestampUnit.Auto"/> is not a unit and returns 0).</summary>
    public static long NanosPer(TimestampUnit unit) => unit switch
    {
        TimestampUnit.Seconds => 1_000_000_000L,
        TimestampUnit.Milliseconds => 1_000_000L,
        TimestampUnit.Microseconds => 1_000L,
        TimestampUnit.Nanoseconds => 1L,
        _ => 0L,
    };

    /// <summary>Converts an integer timestamp; false when the result does not fit in 64-bit nanoseconds.</summary>
    public static bool TryToNanos(long value, TimestampUnit unit, out long nanos)
    {
        if (unit == TimestampUnit.Auto)
        {
            unit = InferUnit(value);
        }

        var factor = NanosPer(unit);
        if (factor == 0)
        {
            nanos = 0;
            return false;
        }

        if (factor == 1)
        {
            nanos = value;
            return true;
        }

        var high = Math.BigMul(value, factor, out var low);
        nanos = low;
        return (high == 0 && low >= 0) || (high == -1 && low < 0);
    }

    /// <summary>
    /// Converts a timestamp with a fractional part (e.g. <c>1700000000.25</c> seconds); false when it is not
    /// finite or does not fit in 64-bit nanoseconds. Precision is that of a double (about 0.25 µs today).
    /// </summary>
    public static bool TryToNanos(double value, TimestampUnit unit, out long nanos)
    {
        nanos = 0;
        if (!double.IsFinite(value))
        {
            return false;
        }

        if (unit == TimestampUnit.Auto)
        {
            unit = InferUnit(value);
        }

        var factor = NanosPer(unit);
        if (factor == 0)
        {
            return false;
        }

        // Integral values take the exact integer path when they fit in a long.
        if (Math.Abs(value) < 9e18 && value == Math.Floor(value))
        {
            return TryToNanos((long)value, unit, out nanos);
        }

        var scaled = Math.Round(value * factor);
        if (scaled is < -9.2e18 or > 9.2e18)
        {
            return false;
        }

        nanos = (long)scaled;
        return true;
    }
}
