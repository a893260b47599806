using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Outputs.Influx;

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
    public static LinePoint ToPoint(NamedWindowResult named, string measurementPattern) =>
        ToPointIn(named, Measurement(measurementPattern, named?.Window ?? string.Empty));

    /// <summary>Maps a result to its point in <paramref name="measurement"/> (already resolved from the pattern).</summary>
    public static LinePoint ToPointIn(NamedWindowResult named, string measurement)
    {
        ArgumentNullException.ThrowIfNull(named);
        var r = named.Result;
        var a = r.Aggregates;

        // Added in this order, the later tag wins a key clash (metric over deviceId over a key tag), as with PointBuilder.
        var tags = r.Key.Tags.With(new Tag("deviceId", r.Key.DeviceId)).With(new Tag("metric", r.Key.Metric));
        Field[] fields =
        [
            new("count", FieldValue.Integer(a.Count)),
            new("sum", FieldValue.Float(a.Sum)),
            new("min", FieldValue.Float(a.Min)),
            new("max", FieldValue.Float(a.Max)),
            new("mean", FieldValue.Float(a.Mean)),
            new("stddev", FieldValue.Float(a.StdDev)),
            new("first", FieldValue.Float(a.First)),
            new("last", FieldValue.Float(a.Last)),
            new("p50", FieldValue.Float(a.P50)),
            new("p90", FieldValue.Float(a.P90)),
            new("p95", FieldValue.Float(a.P95)),
            new("p99", FieldValue.Float(a.P99)),
        ];
        return new LinePoint(measurement, tags, fields, r.StartNs);
    }
}
