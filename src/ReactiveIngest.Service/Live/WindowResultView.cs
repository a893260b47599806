namespace ReactiveIngest.Service.Live;

/// <summary>A window result as the API and the live stream show it.</summary>
public sealed record WindowResultView
{
    /// <summary>The device.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The metric.</summary>
    public required string Metric { get; init; }

    /// <summary>The window specification name from configuration, e.g. <c>10s</c>.</summary>
    public required string Window { get; init; }

    /// <summary>Inclusive window start.</summary>
    public required DateTimeOffset WindowStart { get; init; }

    /// <summary>Exclusive window end.</summary>
    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>Number of readings.</summary>
    public long Count { get; init; }

    /// <summary>Sum of values.</summary>
    public double Sum { get; init; }

    /// <summary>Smallest value.</summary>
    public double Min { get; init; }

    /// <summary>Largest value.</summary>
    public double Max { get; init; }

    /// <summary>Arithmetic mean.</summary>
    public double Mean { get; init; }

    /// <summary>Sample standard deviation (0 for one reading).</summary>
    public double StdDev { get; init; }

    /// <summary>Value of the earliest reading by event time.</summary>
    public double First { get; init; }

    /// <summary>Value of the latest reading by event time.</summary>
    public double Last { get; init; }

    /// <summary>Median (sketch estimate).</summary>
    public double P50 { get; init; }

    /// <summary>90th percentile (sketch estimate).</summary>
    public double P90 { get; init; }

    /// <summary>95th percentile (sketch estimate).</summary>
    public double P95 { get; init; }

    /// <summary>99th percentile (sketch estimate).</summary>
    public double P99 { get; init; }

    /// <summary>False for an early (speculative) result of a window that is still open.</summary>
    public bool Final { get; init; } = true;

    /// <summary>The value of a statistic by name (count, sum, min, max, mean, stddev, first, last, p50, p90, p95, p99).</summary>
    public double? Statistic(string name) => name.ToUpperInvariant() switch
    {
        "COUNT" => Count,
        "SUM" => Sum,
        "MIN" => Min,
        "MAX" => Max,
        "MEAN" => Mean,
        "STDDEV" => StdDev,
        "FIRST" => First,
        "LAST" => Last,
        "P50" => P50,
        "P90" => P90,
        "P95" => P95,
        "P99" => P99,
        _ => null,
    };

    /// <summary>The statistic names <see cref="Statistic"/> accepts.</summary>
    public static readonly IReadOnlyList<string> StatisticNames = ["count", "sum", "min", "max", "mean", "stddev", "first", "last", "p50", "p90", "p95", "p99"];
}
