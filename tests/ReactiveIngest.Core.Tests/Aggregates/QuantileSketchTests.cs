using Xunit;
using FsCheck.Xunit;
using ReactiveIngest.Core.Aggregates;

namespace ReactiveIngest.Core.Tests.Aggregates;

public class QuantileSketchTests
{
    private static readonly double[] Quantiles = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

    [Property(MaxTest = 200)]
    public void Quantiles_should_be_within_one_percent_of_the_exact_lower_quantile(int seed, byte distribution, ushort size)
    {
        var random = new Random(seed);
        var n = 1 + (size % 5000);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = (distribution % 5) switch
            {
                0 => random.NextDouble() * 100,                               // uniform
                1 => Math.Exp(random.NextDouble() * 40 - 20),                 // log-uniform over 17 decades
                2 => (random.NextDouble() - 0.5) * 1e6,                       // both signs
                3 => Math.Round(random.NextDouble() * 4) - 2,                 // few distinct values incl. zero
                _ => 20 + (Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())),
            };
        }

        var sketch = new QuantileSketch();
        foreach (var v in values)
        {
            sketch.Add(v);
        }

        Array.Sort(values);
        Assert.Equal(n, sketch.Count);
        foreach (var q in Quantiles)
        {
            var exact = values[(int)Math.Floor(q * (n - 1))];
            AssertWithinBound(exact, sketch.Quantile(q), q);
        }
    }

    [Property(MaxTest = 100)]
    public void Merged_sketches_should_answer_like_one_sketch_over_all_values(int seed)
    {
        var random = new Random(seed);
        var a = new QuantileSketch();
        var b = new QuantileSketch();
        var all = new QuantileSketch();
        for (var i = 0; i < 1000; i++)
        {
            var v = (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-3, 6));
            (random.Next(2) == 0 ? a : b).Add(v);
            all.Add(v);
        }

        a.Merge(b);
        Assert.Equal(all.Count, a.Count);
        foreach (var q in Quantiles)
        {
            Assert.Equal(all.Quantile(q), a.Quantile(q));
        }
    }

    [Fact]
    public void Bucket_count_should_stay_bounded_for_values_spanning_huge_ranges()
    {
        var sketch = new QuantileSketch();
        for (var e = -300; e <= 300; e++)
        {
            sketch.Add(Math.Pow(10, e));
            sketch.Add(-Math.Pow(10, e));
        }

        Assert.True(sketch.BucketCount <= (2 * QuantileSketch.MaxBucketsPerSign) + 1, $"buckets: {sketch.BucketCount}");

        // The largest values keep the error bound after collapsing the smallest.
        AssertWithinBound(1e300, sketch.Quantile(1), 1);
        AssertWithinBound(-1e300, sketch.Quantile(0), 0);
    }

    [Fact]
    public void Clear_should_forget_values_and_empty_sketch_should_answer_NaN()
    {
        var sketch = new QuantileSketch();
        sketch.Add(5);
        sketch.Clear();
        Assert.Equal(0, sketch.Count);
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        sketch.Add(7);
        AssertWithinBound(7, sketch.Quantile(0.5), 0.5);
    }

    private static void AssertWithinBound(double exact, double estimate, double q)
    {
        var tolerance = Math.Max(Math.Abs(exact) * QuantileSketch.RelativeAccuracy, QuantileSketch.MinIndexableMagnitude);
        Assert.True(Math.Abs(estimate - exact) <= tolerance, $"q={q}: exact {exact:R}, estimate {estimate:R}");
    }
}
