using Xunit;
using ReactiveIngest.Core.Aggregates;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Tests.Windows;

/// <summary>Brute-force aggregates over a list of readings, and the comparison with an emitted snapshot.</summary>
internal static class BatchOracle
{
    public static void AssertMatches(IReadOnlyList<Reading> readings, AggregateSnapshot actual, string what)
    {
        var n = readings.Count;
        var values = readings.Select(r => r.Value).ToArray();
        Assert.True(n == actual.Count, $"{what}: count {actual.Count}, expected {n}");
        Assert.True(values.Min() == actual.Min, $"{what}: min {actual.Min}, expected {values.Min()}");
        Assert.True(values.Max() == actual.Max, $"{what}: max {actual.Max}, expected {values.Max()}");

        var scale = values.Sum(Math.Abs) + 1;
        var sum = values.Sum();
        Assert.True(Math.Abs(sum - actual.Sum) <= 1e-9 * scale, $"{what}: sum {actual.Sum}, expected {sum}");
        var mean = sum / n;
        Assert.True(Math.Abs(mean - actual.Mean) <= 1e-9 * scale, $"{what}: mean {actual.Mean}, expected {mean}");
        var stddev = n < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        Assert.True(Math.Abs(stddev - actual.StdDev) <= 1e-6 * (stddev + 1), $"{what}: stddev {actual.StdDev}, expected {stddev}");

        var firstTs = readings.Min(r => r.TimestampNs);
        var lastTs = readings.Max(r => r.TimestampNs);
        Assert.Equal(firstTs, actual.FirstTimestampNs);
        Assert.Equal(lastTs, actual.LastTimestampNs);
        Assert.Contains(actual.First, readings.Where(r => r.TimestampNs == firstTs).Select(r => r.Value));
        Assert.Contains(actual.Last, readings.Where(r => r.TimestampNs == lastTs).Select(r => r.Value));

        Array.Sort(values);
        AssertQuantile(values, 0.50, actual.P50, what);
        AssertQuantile(values, 0.90, actual.P90, what);
        AssertQuantile(values, 0.95, actual.P95, what);
        AssertQuantile(values, 0.99, actual.P99, what);
    }

    private static void AssertQuantile(double[] sorted, double q, double actual, string what)
    {
        var exact = sorted[(int)Math.Floor(q * (sorted.Length - 1))];
        var tolerance = Math.Max(Math.Abs(exact) * QuantileSketch.RelativeAccuracy, QuantileSketch.MinIndexableMagnitude);
        Assert.True(Math.Abs(actual - exact) <= tolerance, $"{what}: p{q * 100} {actual}, expected {exact} ± 1 %");
    }
}
