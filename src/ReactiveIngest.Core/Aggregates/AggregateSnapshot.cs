namespace ReactiveIngest.Core.Aggregates;

/// <summary>The aggregates of one window at the moment it was emitted.</summary>
/// <param name="Count">Number of readings.</param>
/// <param name="Sum">Sum of values.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="StdDev">Sample standard deviation (n − 1 denominator, as InfluxQL's STDDEV); 0 for one reading.</param>
/// <param name="First">Value with the earliest event time.</param>
/// <param name="FirstTimestampNs">Event time of <paramref name="First"/>.</param>
/// <param name="Last">Value with the latest event time.</param>
/// <param name="LastTimestampNs">Event time of <paramref name="Last"/>.</param>
/// <param name="P50">Median from the sketch (within 1 % relative).</param>
/// <param name="P90">90th percentile from the sketch (within 1 % relative).</param>
/// <param name="P95">95th percentile from the sketch (within 1 % relative).</param>
/// <param name="P99">99th percentile from the sketch (within 1 % relative).</param>
public readonly record struct AggregateSnapshot(
    long Count,
    double Sum,
    double Min,
    double Max,
    double Mean,
    double StdDev,
    double First,
    long FirstTimestampNs,
    double Last,
    long LastTimestampNs,
    double P50,
    double P90,
    double P95,
    double P99)
{
    /// <summary>Takes a snapshot of <paramref name="aggregate"/> and the quantiles of <paramref name="sketch"/>.</summary>
    public static AggregateSnapshot From(in RunningAggregate aggregate, QuantileSketch sketch)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        return new AggregateSnapshot(
            aggregate.Count,
            aggregate.Sum,
            aggregate.Min,
            aggregate.Max,
            aggregate.Mean,
            Math.Sqrt(aggregate.SampleVariance),
            aggregate.First,
            aggregate.FirstTimestampNs,
            aggregate.Last,
            aggregate.LastTimestampNs,
            sketch.Quantile(0.50),
            sketch.Quantile(0.90),
            sketch.Quantile(0.95),
            sketch.Quantile(0.99));
    }
}
