using Xunit;
using FsCheck.Xunit;
using ReactiveIngest.Core.Aggregates;

namespace ReactiveIngest.Core.Tests.Aggregates;

/// <summary>
/// The sketch against an exact oracle. The rank convention is the one <see cref="QuantileSketch.Quantile"/> promises:
/// the exact q-quantile of n sorted values is the element of 0-based rank floor(q · (n − 1)).
/// </summary>
public class QuantileSketchTests
{
    private static readonly double[] Quantiles = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

    private static readonly string[] Shapes =
        ["constant", "narrow 20.0..20.5", "negative", "mixed sign", "tiny (1e-9..1e-8)", "huge (1e12..1e14)", "log-uniform over 17 decades, both signs", "few distinct values incl. zero", "normal around 20"];

    [Property(MaxTest = 300)]
    public void Quantiles_should_be_within_one_percent_of_the_exact_lower_quantile(int seed, byte shape, ushort size)
    {
        var values = Values(seed, shape, 1 + (size % 3000));
        var sketch = SketchOf(values);

        Assert.Equal(values.Length, sketch.Count);
        AssertAnswersLikeTheOracle(values, sketch, Shapes[shape % Shapes.Length]);
    }

    [Property(MaxTest = 300)]
    public void Quantiles_should_be_ordered_and_stay_within_min_and_max(int seed, byte shape, ushort size)
    {
        var values = Values(seed, shape, 1 + (size % 3000));
        var sketch = SketchOf(values);
        var what = Shapes[shape % Shapes.Length];

        Assert.Equal(values.Min(), sketch.Min);
        Assert.Equal(values.Max(), sketch.Max);
        var answers = new[] { sketch.Min, sketch.Quantile(0.5), sketch.Quantile(0.9), sketch.Quantile(0.95), sketch.Quantile(0.99), sketch.Max };
        for (var i = 1; i < answers.Length; i++)
        {
            Assert.True(answers[i - 1] <= answers[i], $"{what}: min, p50, p90, p95, p99, max = {string.Join(", ", answers.Select(a => a.ToString("R")))}");
        }

        Assert.Equal(sketch.Min, sketch.Quantile(0));
        Assert.Equal(sketch.Max, sketch.Quantile(1));
    }

    [Property(MaxTest = 200)]
    public void Merged_partial_sketches_should_answer_like_one_sketch_over_all_values(int seed, byte shape, ushort size, byte pieces)
    {
        var values = Values(seed, shape, 1 + (size % 3000));
        var random = new Random(seed ^ 0x5EED);
        var parts = Enumerable.Range(0, 1 + (pieces % 6)).Select(_ => new QuantileSketch()).ToArray();
        var all = new QuantileSketch();
        foreach (var v in values)
        {
            parts[random.Next(parts.Length)].Add(v);
            all.Add(v);
        }

        var merged = new QuantileSketch();
        foreach (var part in parts)
        {
            merged.Merge(part); // some parts may be empty
        }

        Assert.Equal(all.Count, merged.Count);
        Assert.Equal(all.Min, merged.Min);
        Assert.Equal(all.Max, merged.Max);
        foreach (var q in Quantiles)
        {
            Assert.Equal(all.Quantile(q), merged.Quantile(q));
        }

        AssertAnswersLikeTheOracle(values, merged, "merged " + Shapes[shape % Shapes.Length]);
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(-3.5)]
    [InlineData(0.0)]
    [InlineData(1e-9)]
    [InlineData(1e12)]
    [InlineData(-7e-10)]
    public void A_constant_signal_should_give_exactly_its_value_at_every_quantile(double value)
    {
        var sketch = new QuantileSketch();
        for (var i = 0; i < 500; i++)
        {
            sketch.Add(value);
        }

        Assert.All(Quantiles, q => Assert.Equal(value, sketch.Quantile(q)));
    }

    [Theory]
    [InlineData("sine", 20.0, 0.25)]
    [InlineData("sine", 20.0, 0.05)]
    [InlineData("ramp", 20.0, 0.5)]
    [InlineData("ramp", -20.0, 0.2)]
    public void A_smooth_signal_narrower_than_one_percent_should_still_have_distinct_median_and_p99(string kind, double centre, double amplitude)
    {
        const int N = 600; // one reading per second for 10 minutes
        var values = Enumerable.Range(0, N)
            .Select(i => kind == "sine" ? centre + (amplitude * Math.Sin(2 * Math.PI * i / 60.0)) : centre + (amplitude * i / (N - 1)))
            .ToArray();
        var sketch = SketchOf(values);

        var p50 = sketch.Quantile(0.5);
        var p90 = sketch.Quantile(0.9);
        var p99 = sketch.Quantile(0.99);
        Assert.True(p50 < p90 && p90 < p99, $"{kind} {centre}±{amplitude}: p50 {p50:R}, p90 {p90:R}, p99 {p99:R}");
        AssertAnswersLikeTheOracle(values, sketch, $"{kind} {centre}±{amplitude}");
    }

    [Fact]
    public void Values_near_the_largest_double_should_give_finite_quantiles()
    {
        var sketch = new QuantileSketch();
        var values = new[] { double.MaxValue, double.MaxValue * 0.999, double.MaxValue * 0.5, -double.MaxValue };
        foreach (var v in values)
        {
            sketch.Add(v);
        }

        AssertAnswersLikeTheOracle(values, sketch, "near double.MaxValue");
        Assert.All(Quantiles, q => Assert.True(double.IsFinite(sketch.Quantile(q)), $"q={q}: {sketch.Quantile(q)}"));
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
        AssertWithinBound(1e300, sketch.Quantile(1), "q=1");
        AssertWithinBound(-1e300, sketch.Quantile(0), "q=0");
        AssertWithinBound(1e290, sketch.Quantile(1191.5 / 1201), "q of 1e290");
    }

    [Fact]
    public void Clear_should_forget_values_and_empty_sketch_should_answer_NaN()
    {
        var sketch = new QuantileSketch();
        sketch.Add(5);
        sketch.Clear();
        Assert.Equal(0, sketch.Count);
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.True(double.IsNaN(sketch.Min));
        sketch.Add(7);
        Assert.Equal(7, sketch.Quantile(0.5));
    }

    [Fact]
    public void NaN_and_infinities_should_be_ignored()
    {
        var sketch = new QuantileSketch();
        sketch.Add(double.NaN);
        sketch.Add(double.PositiveInfinity);
        sketch.Add(double.NegativeInfinity);
        sketch.Add(3);
        Assert.Equal(1, sketch.Count);
        Assert.Equal(3, sketch.Quantile(0.5));
    }

    private static double[] Values(int seed, byte shape, int n)
    {
        var random = new Random(seed);
        var constant = new[] { 20.0, -3.5, 0.0, 1e-9, 1e12 }[random.Next(5)];
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u = random.NextDouble();
            values[i] = (shape % Shapes.Length) switch
            {
                0 => constant,
                1 => 20.0 + (u * 0.5),
                2 => -(1 + (u * 1000)),
                3 => (u - 0.5) * 1e6,
                4 => 1e-9 * (1 + (u * 9)),
                5 => 1e12 * (1 + (u * 99)),
                6 => (random.Next(2) == 0 ? -1 : 1) * Math.Exp((u * 40) - 20),
                7 => Math.Round(u * 4) - 2,
                _ => 20 + (Math.Sqrt(-2 * Math.Log(1 - u)) * Math.Cos(2 * Math.PI * random.NextDouble())),
            };
        }

        return values;
    }

    private static QuantileSketch SketchOf(IEnumerable<double> values)
    {
        var sketch = new QuantileSketch();
        foreach (var v in values)
        {
            sketch.Add(v);
        }

        return sketch;
    }

    private static void AssertAnswersLikeTheOracle(IEnumerable<double> values, QuantileSketch sketch, string what)
    {
        var sorted = values.Order().ToArray();
        foreach (var q in Quantiles)
        {
            var exact = sorted[(int)Math.Floor(q * (sorted.Length - 1))];
            AssertWithinBound(exact, sketch.Quantile(q), $"{what}, q={q}");
        }
    }

    /// <summary>The stated bound: 1 % relative, or 1e-9 absolute for values the sketch counts as zero.</summary>
    private static void AssertWithinBound(double exact, double estimate, string what)
    {
        var tolerance = Math.Abs(exact) >= QuantileSketch.MinIndexableMagnitude
            ? Math.Abs(exact) * QuantileSketch.RelativeAccuracy
            : QuantileSketch.MinIndexableMagnitude;
        Assert.True(Math.Abs(estimate - exact) <= tolerance, $"{what}: exact {exact:R}, estimate {estimate:R}");
    }
}
