using Xunit;
using FsCheck.Xunit;
using ReactiveIngest.Core.Aggregates;

namespace ReactiveIngest.Core.Tests.Aggregates;

public class RunningAggregateTests
{
    [Fact]
    public void Aggregate_should_compute_textbook_statistics()
    {
        var agg = default(RunningAggregate);
        double[] values = [2, 4, 4, 4, 5, 5, 7, 9];
        for (var i = 0; i < values.Length; i++)
        {
            agg.Add(1000 - i, values[i]); // descending timestamps: first is the last added
        }

        Assert.Equal(8, agg.Count);
        Assert.Equal(40, agg.Sum);
        Assert.Equal(5, agg.Mean, 12);
        Assert.Equal(4, agg.PopulationVariance, 12);
        Assert.Equal(32.0 / 7, agg.SampleVariance, 12);
        Assert.Equal(2, agg.Min);
        Assert.Equal(9, agg.Max);
        Assert.Equal(9, agg.First);
        Assert.Equal(993, agg.FirstTimestampNs);
        Assert.Equal(2, agg.Last);
        Assert.Equal(1000, agg.LastTimestampNs);
    }

    [Property(MaxTest = 200)]
    public void Merging_pieces_should_equal_adding_everything_to_one(int seed, byte pieces)
    {
        var random = new Random(seed);
        var parts = new RunningAggregate[1 + (pieces % 6)];
        var whole = default(RunningAggregate);
        for (var i = 0; i < 500; i++)
        {
            var ts = random.Next(0, 10_000);
            var v = (random.NextDouble() * 200) - 50;
            whole.Add(ts, v);
            parts[random.Next(parts.Length)].Add(ts, v);
        }

        var merged = default(RunningAggregate);
        foreach (var part in parts)
        {
            merged.Merge(part);
        }

        Assert.Equal(whole.Count, merged.Count);
        Assert.Equal(whole.Min, merged.Min);
        Assert.Equal(whole.Max, merged.Max);
        Assert.Equal(whole.Sum, merged.Sum, 6);
        Assert.Equal(whole.Mean, merged.Mean, 9);
        Assert.Equal(whole.SampleVariance, merged.SampleVariance, 6);
        Assert.Equal(whole.FirstTimestampNs, merged.FirstTimestampNs);
        Assert.Equal(whole.LastTimestampNs, merged.LastTimestampNs);
    }
}
