using Xunit;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Watermarks;
using ReactiveIngest.TestSupport.Time;

namespace ReactiveIngest.Core.Tests.Watermarks;

public class WatermarkTrackerTests
{
    private static readonly long Second = UnixTime.NanosPerSecond;
    private readonly ManualTimeProvider _clock = new();

    private WatermarkTracker Create(bool fallback = true) => new(
        new WatermarkOptions { OutOfOrderness = TimeSpan.FromSeconds(2), IdleTimeout = TimeSpan.FromSeconds(10), WallClockFallback = fallback },
        _clock);

    [Fact]
    public void Watermark_should_be_max_event_time_minus_out_of_orderness()
    {
        var tracker = Create();
        Assert.Equal(long.MinValue, tracker.Update());
        tracker.Observe(0, 100 * Second);
        tracker.Observe(0, 90 * Second);
        Assert.Equal(98 * Second, tracker.Update());
    }

    [Fact]
    public void Watermark_should_be_the_minimum_over_active_partitions()
    {
        var tracker = Create();
        tracker.Observe(0, 100 * Second);
        tracker.Observe(1, 50 * Second);
        Assert.Equal(48 * Second, tracker.Update());
        tracker.Observe(1, 200 * Second);
        Assert.Equal(98 * Second, tracker.Update());
    }

    [Fact]
    public void Idle_partition_should_stop_holding_the_watermark_back()
    {
        var tracker = Create();
        tracker.Observe(0, 100 * Second);
        tracker.Observe(1, 50 * Second);
        Assert.Equal(48 * Second, tracker.Update());

        _clock.Advance(TimeSpan.FromSeconds(6));
        tracker.Observe(0, 110 * Second);
        Assert.Equal(48 * Second, tracker.Update());

        _clock.Advance(TimeSpan.FromSeconds(5)); // partition 1 quiet for 11 s > 10 s idle timeout
        tracker.Observe(0, 111 * Second);
        Assert.Equal(109 * Second, tracker.Update());
        Assert.Equal(1, tracker.IdlePartitions);
    }

    [Fact]
    public void Watermark_should_never_go_backwards_when_an_idle_partition_returns()
    {
        var tracker = Create();
        tracker.Observe(0, 100 * Second);
        tracker.Observe(1, 50 * Second);
        tracker.Update();
        _clock.Advance(TimeSpan.FromSeconds(11));
        tracker.Observe(0, 120 * Second);
        Assert.Equal(118 * Second, tracker.Update());

        tracker.Observe(1, 60 * Second); // back, but behind
        Assert.Equal(118 * Second, tracker.Update());
    }

    [Fact]
    public void Wall_clock_fallback_should_advance_the_watermark_when_every_partition_is_idle()
    {
        var tracker = Create();
        tracker.Observe(0, 100 * Second);
        tracker.Update();
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(98 * Second, tracker.Update());
        _clock.Advance(TimeSpan.FromSeconds(3)); // idle for 12 s
        Assert.Equal(110 * Second, tracker.Update());
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(140 * Second, tracker.Update());
    }

    [Fact]
    public void A_partition_held_back_upstream_should_not_turn_idle_nor_let_the_fallback_run()
    {
        var tracker = Create();
        tracker.Observe(0, 100 * Second);
        tracker.Observe(1, 50 * Second);
        Assert.Equal(48 * Second, tracker.Update());

        // A minute of silence while partition 1's input waits upstream (a stalled sink): it holds the watermark.
        for (var s = 0; s < 60; s++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            tracker.KeepActive(partition => partition == 1);
            Assert.Equal(48 * Second, tracker.Update());
        }

        Assert.Equal(1, tracker.IdlePartitions);

        // Held back no more and silent for longer than the idle timeout: idle, and the fallback moves on from the
        // newest event time by the wall time since partition 1 was last held (11 s), not since its last reading.
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(109 * Second, tracker.Update());
        Assert.Equal(2, tracker.IdlePartitions);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(114 * Second, tracker.Update());
    }

    [Fact]
    public void Every_partition_held_back_should_keep_the_wall_clock_fallback_still()
    {
        var tracker = Create();
        tracker.Observe(0, 100 * Second);
        tracker.Update();
        for (var s = 0; s < 30; s++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            tracker.KeepActive(_ => true);
            Assert.Equal(98 * Second, tracker.Update());
        }

        Assert.Equal(0, tracker.IdlePartitions);
    }

    [Fact]
    public void Without_fallback_an_idle_fleet_should_keep_the_most_advanced_partition_watermark()
    {
        var tracker = Create(fallback: false);
        tracker.Observe(0, 100 * Second);
        tracker.Observe(1, 50 * Second);
        tracker.Update();
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(98 * Second, tracker.Update());
    }

    [Fact]
    public void Partitions_beyond_the_limit_should_share_slots()
    {
        var tracker = new WatermarkTracker(new WatermarkOptions { OutOfOrderness = TimeSpan.Zero, MaxPartitions = 2 }, _clock);
        for (var p = 0; p < 10; p++)
        {
            tracker.Observe(p, (100 + p) * Second);
        }

        Assert.Equal(2, tracker.PartitionCount);
        Assert.Equal(108 * Second, tracker.Update()); // slot 0 holds 0,2,4,6,8 → 108; slot 1 holds 1,3,…,9 → 109
    }

    [Fact]
    public void Invalid_options_should_be_reported_by_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => new WatermarkTracker(new WatermarkOptions { IdleTimeout = TimeSpan.Zero, MaxPartitions = 0 }));
        Assert.Contains("IdleTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxPartitions", ex.Message, StringComparison.Ordinal);
    }
}
