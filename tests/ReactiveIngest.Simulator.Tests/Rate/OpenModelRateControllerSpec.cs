using ReactiveIngest.Simulator.Rate;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.Rate;

public sealed class OpenModelRateControllerSpec
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static (ManualTimeProvider Time, OpenModelRateController Controller, long StartUs) Create(MissedSlotPolicy policy, RateOptions? options = null)
    {
        var time = new ManualTimeProvider(Start);
        var startUs = Clock.NowUs(time);
        var plan = new RatePlan(options ?? new RateOptions { IntervalMs = 100 }, startUs, 10);
        return (time, new OpenModelRateController(time, plan, policy), startUs);
    }

    private static List<DueSlot> TakeAll(OpenModelRateController controller)
    {
        var slots = new List<DueSlot>();
        while (controller.TryTakeDue(long.MaxValue, out var slot))
        {
            slots.Add(slot);
        }

        return slots;
    }

    [Fact]
    public void Slots_should_not_be_handed_out_before_their_intended_time()
    {
        var (time, controller, startUs) = Create(MissedSlotPolicy.SendLate);
        controller.Add(0, startUs + 100_000, 100_000);
        Assert.Empty(TakeAll(controller));
        time.Advance(TimeSpan.FromMilliseconds(100));
        var slot = Assert.Single(TakeAll(controller));
        Assert.Equal(startUs + 100_000, slot.IntendedUs);
        Assert.False(slot.Missed);
        Assert.Equal(0, controller.Missed);
    }

    [Fact]
    public void A_stalled_sender_should_count_the_slots_it_reached_later_than_one_interval()
    {
        var (time, controller, startUs) = Create(MissedSlotPolicy.SendLate);
        controller.Add(0, startUs, 100_000);
        Assert.Single(TakeAll(controller));

        time.Advance(TimeSpan.FromMilliseconds(550));
        var slots = TakeAll(controller);

        Assert.Equal([100_000L, 200_000, 300_000, 400_000, 500_000], slots.Select(s => s.IntendedUs - startUs));
        Assert.Equal([450_000L, 350_000, 250_000, 150_000, 50_000], slots.Select(s => s.LagUs));
        Assert.Equal(4, controller.Missed);
        Assert.Equal(6, controller.Taken);
        Assert.Equal([1L, 2, 3, 4, 5], slots.Select(s => s.Sequence));
    }

    [Fact]
    public void With_the_skip_policy_missed_slots_should_be_counted_but_not_handed_out()
    {
        var (time, controller, startUs) = Create(MissedSlotPolicy.Skip);
        controller.Add(0, startUs, 100_000);
        time.Advance(TimeSpan.FromMilliseconds(550));
        var slot = Assert.Single(TakeAll(controller));

        Assert.Equal(startUs + 500_000, slot.IntendedUs);
        Assert.Equal(5, controller.Missed);
        Assert.Equal(5, controller.Skipped);
        Assert.Equal(5, slot.Sequence);
    }

    [Fact]
    public void Slots_of_several_devices_should_come_out_in_intended_time_order()
    {
        var (time, controller, startUs) = Create(MissedSlotPolicy.SendLate);
        controller.Add(0, startUs + 30_000, 100_000);
        controller.Add(1, startUs + 10_000, 50_000);
        time.Advance(TimeSpan.FromMilliseconds(140));
        var slots = TakeAll(controller);
        Assert.Equal([10_000L, 30_000, 60_000, 110_000, 130_000], slots.Select(s => s.IntendedUs - startUs));
        Assert.Equal([1, 0, 1, 1, 0], slots.Select(s => s.Device));
    }

    [Fact]
    public void Latency_should_be_measured_from_the_intended_time_not_from_when_the_send_started()
    {
        var latency = new LatencyRecorder();
        latency.Record(intendedUs: 1_000_000, completedUs: 1_250_000);
        latency.Record(intendedUs: 2_000_000, completedUs: 2_001_000);
        var summary = latency.Summary()!;
        Assert.InRange(summary.Max, 249, 251);
        Assert.InRange(summary.P50, 0.99, 1.01);
    }

    [Fact]
    public void A_rate_cap_should_stretch_intervals_and_bursts_should_shorten_them()
    {
        var options = new RateOptions { IntervalMs = 100, TotalRateCap = 5_000, BurstEveryMs = 10_000, BurstDurationMs = 2_000, BurstFactor = 4 };
        var plan = new RatePlan(options, 0, uncappedRatePerSec: 10_000);
        Assert.Equal(2.0, plan.Stretch);
        Assert.Equal(5_000, plan.TargetRatePerSec);
        var interval = plan.IntervalUs(1);
        Assert.Equal(200_000, interval);
        Assert.Equal(1_000_000 + 50_000, plan.NextUs(1_000_000, interval));
        Assert.Equal(3_000_000 + 200_000, plan.NextUs(3_000_000, interval));
    }
}
