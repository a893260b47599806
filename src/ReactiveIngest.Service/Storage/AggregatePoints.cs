using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Storage;

/// <summary>
/// How a window result is stored: measurement from <see cref="PipelineOptions.AggregateMeasurement"/>, tags
/// <c>deviceId</c>, <c>metric</c> and the key tags, one field per statistic, timestamp = window start. A late update
/// of the same window has the same identity and overwrites the earlier point.
/// </summary>
public static class AggregatePoints
{
    /// <summary>The statistics stored as fields, in order.</summary>
    public static readonly IReadOnlyList<string> Fields = ["count", "sum", "min", "max", "mean", "stddev", "first", "last", "p50", "p90", "p95", "p99"];

    /// <summary>The measurement of a window definition.</summary>
    public static string Measurement(string pattern, string window) => pattern.Replace("{window}", window, StringComparison.Ordinal);

    /// <summary>Maps a result to its point.</summary>
    public static LinePoint ToPoint(NamedWindowResult named, string measurementPattern)
    {
        ArgumentNullException.ThrowIfNull(named);
        var r = named.Result;
        var a = r.Aggregates;
        return PointBuilder.Measurement(Measurement(measurementPattern, named.Window))
            .Tags(r.Key.Tags)
            .Tag("deviceId", r.Key.DeviceId)
            .Tag("metric", r.Key.Metric)
            .Field("count", a.Count)
            .Field("sum", a.Sum)
            .Field("min", a.Min)
            .Field("max", a.Max)
            .Field("mean", a.Mean)
            .Field("stddev", a.StdDev)
            .Field("first", a.First)
            .Field("last", a.Last)
            .Field("p50", a.P50)
            .Field("p90", a.P90)
            .Field("p95", a.P95)
            .Field("p99", a.P99)
            .Timestamp(r.StartNs)
            .Build();
    }
}
