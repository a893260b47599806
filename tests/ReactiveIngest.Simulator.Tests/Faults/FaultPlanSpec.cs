using ReactiveIngest.Simulator.Faults;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.Faults;

public sealed class FaultPlanSpec
{
    private static readonly FaultOptions Options = new()
    {
        MalformedRatio = 0.01, DuplicateRatio = 0.02, OutOfOrderRatio = 0.03, LateRatio = 0.04,
        SpikeRatio = 0.005, StuckRatio = 0.1, ClockSkewRatio = 0.2, DropoutRatio = 0.3, DropoutDurationMs = 15_000,
    };

    // 200 000 draws: the standard deviation of a ratio p is sqrt(p(1-p)/n) ≤ 0.0011; ±5σ keeps a fixed seed far from the edge.
    private static void AssertRatio(double expected, double actual, int n) =>
        Assert.InRange(actual, expected - (5 * Math.Sqrt(expected * (1 - expected) / n)), expected + (5 * Math.Sqrt(expected * (1 - expected) / n)));

    [Fact]
    public void Delivery_faults_should_occur_at_the_configured_ratios()
    {
        var plan = new FaultPlan(Options, 11);
        var counts = new Dictionary<DeliveryFault, int>();
        var spikes = 0;
        const int n = 200_000;
        for (var i = 0; i < n; i++)
        {
            var fault = plan.Delivery(i % 1000, i / 1000);
            counts[fault] = counts.GetValueOrDefault(fault) + 1;
            spikes += plan.IsSpike(i % 1000, i / 1000) ? 1 : 0;
        }

        AssertRatio(0.01, counts[DeliveryFault.Malformed] / (double)n, n);
        AssertRatio(0.02, counts[DeliveryFault.Duplicate] / (double)n, n);
        AssertRatio(0.03, counts[DeliveryFault.OutOfOrder] / (double)n, n);
        AssertRatio(0.04, counts[DeliveryFault.Late] / (double)n, n);
        AssertRatio(0.005, spikes / (double)n, n);
    }

    [Fact]
    public void Device_and_time_faults_should_occur_at_the_configured_ratios()
    {
        var plan = new FaultPlan(Options, 11);
        const int devices = 20_000;
        var skewed = Enumerable.Range(0, devices).Select(plan.ClockSkewMs).ToArray();
        AssertRatio(0.2, skewed.Count(s => s != 0) / (double)devices, devices);
        Assert.All(skewed, s => Assert.InRange(s, -Options.MaxClockSkewMs, Options.MaxClockSkewMs));

        const int n = 200_000;
        var stuck = 0;
        var droppedOut = 0;
        for (var i = 0; i < n; i++)
        {
            var time = 1_767_225_600_000L + (i / 100 * FaultOptions.BlockMs);
            stuck += plan.StuckSince(i % 100, time) is not null ? 1 : 0;
            droppedOut += plan.IsDroppedOut(i % 100, time + 1_000) ? 1 : 0;
        }

        AssertRatio(0.1, stuck / (double)n, n);
        AssertRatio(0.3, droppedOut / (double)n, n);
    }

    [Fact]
    public void Faults_should_be_the_same_for_the_same_seed_and_differ_for_another()
    {
        var a = new FaultPlan(Options, 11);
        var b = new FaultPlan(Options, 11);
        var c = new FaultPlan(Options, 12);
        var first = Enumerable.Range(0, 5000).Select(i => a.Delivery(i % 50, i)).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 5000).Select(i => b.Delivery(i % 50, i)));
        Assert.NotEqual(first, Enumerable.Range(0, 5000).Select(i => c.Delivery(i % 50, i)));
    }

    [Fact]
    public void Validation_should_name_every_bad_setting()
    {
        var bad = new FaultOptions { MalformedRatio = 0.6, DuplicateRatio = 0.6, DropoutDurationMs = 70_000, OfflineBufferLimit = 0 };
        var problems = bad.Validate("faults").ToList();
        Assert.Contains(problems, p => p.Contains("duplicateRatio", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("dropoutDurationMs", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("offlineBufferLimit", StringComparison.Ordinal));
    }
}
