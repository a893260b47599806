namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>
/// The unit of line-protocol timestamps in a write request (InfluxDB's <c>precision</c> parameter). The pipeline
/// works in nanoseconds, so a write in another precision has its timestamps converted before it is queued.
/// </summary>
/// <param name="Name">The canonical name (<c>ns</c>, <c>us</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>).</param>
/// <param name="NanosPerUnit">Nanoseconds in one unit.</param>
public readonly record struct WritePrecision(string Name, long NanosPerUnit)
{
    /// <summary>Nanoseconds: the default, and timestamps are taken as they are.</summary>
    public static readonly WritePrecision Nanoseconds = new("ns", 1);

    /// <summary>The values the InfluxDB 2 API (<c>/api/v2/write</c>, <c>/api/ingest</c>) accepts.</summary>
    public const string V2Values = "ns, us, ms, s";

    /// <summary>The values the InfluxDB 1 API (<c>/write</c>) accepts.</summary>
    public const string V1Values = "n, ns, u, us, ms, s, m, h";

    /// <summary>True when timestamps need no conversion.</summary>
    public bool IsNanoseconds => NanosPerUnit == 1;

    /// <summary>
    /// Parses <paramref name="value"/> (null or empty: nanoseconds). The v1 API also accepts <c>n</c>, <c>u</c>,
    /// <c>m</c> (minutes) and <c>h</c> (hours), as InfluxDB 1.x does.
    /// </summary>
    public static bool TryParse(string? value, bool v1, out WritePrecision precision)
    {
        precision = Nanoseconds;
        switch (value)
        {
            case null or "" or "ns":
                return true;
            case "us":
                precision = new("us", 1_000);
                return true;
            case "ms":
                precision = new("ms", 1_000_000);
                return true;
            case "s":
                precision = new("s", 1_000_000_000);
                return true;
            case "n" when v1:
                return true;
            case "u" when v1:
                precision = new("us", 1_000);
                return true;
            case "m" when v1:
                precision = new("m", 60_000_000_000);
                return true;
            case "h" when v1:
                precision = new("h", 3_600_000_000_000);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Converts a timestamp in this precision to nanoseconds; false when it does not fit in 64 bits.</summary>
    public bool TryToNanoseconds(long value, out long nanoseconds)
    {
        var product = (Int128)value * NanosPerUnit;
        var fits = product >= long.MinValue && product <= long.MaxValue;
        nanoseconds = fits ? (long)product : 0;
        return fits;
    }
}
