namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>Conversions for <see cref="WritePrecision"/>.</summary>
public static class WritePrecisionExtensions
{
    /// <summary>Nanoseconds per unit of <paramref name="precision"/>.</summary>
    public static long NanosPerUnit(this WritePrecision precision) => precision switch
    {
        WritePrecision.Nanoseconds => 1L,
        WritePrecision.Microseconds => 1_000L,
        WritePrecision.Milliseconds => 1_000_000L,
        WritePrecision.Seconds => 1_000_000_000L,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    /// <summary>
    /// Converts epoch nanoseconds to the unit of <paramref name="precision"/>, rounding toward negative
    /// infinity so that a point keeps the unit it falls in (also before 1970).
    /// </summary>
    public static long FromNanos(this WritePrecision precision, long timestampNs)
    {
        var unit = precision.NanosPerUnit();
        return unit == 1 ? timestampNs : Math.DivRem(timestampNs, unit) is var (q, r) && r < 0 ? q - 1 : q;
    }

    /// <summary>The <c>precision</c> query value of the v1 API (<c>ns</c>, <c>u</c>, <c>ms</c>, <c>s</c>).</summary>
    public static string ToV1QueryValue(this WritePrecision precision) => precision switch
    {
        WritePrecision.Nanoseconds => "ns",
        WritePrecision.Microseconds => "u",
        WritePrecision.Milliseconds => "ms",
        WritePrecision.Seconds => "s",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };

    /// <summary>The <c>precision</c> query value of the v2 API (<c>ns</c>, <c>us</c>, <c>ms</c>, <c>s</c>).</summary>
    public static string ToV2QueryValue(this WritePrecision precision) => precision switch
    {
        WritePrecision.Nanoseconds => "ns",
        WritePrecision.Microseconds => "us",
        WritePrecision.Milliseconds => "ms",
        WritePrecision.Seconds => "s",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Unknown precision."),
    };
}
