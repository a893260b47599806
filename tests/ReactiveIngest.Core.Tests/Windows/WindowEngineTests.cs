using Xunit;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Watermarks;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.TestSupport.Time;

namespace ReactiveIngest.Core.Tests.Windows;

public class WindowEngineTests
{
    private static readonly long Second = UnixTime.NanosPerSecond;
    private readonly ManualTimeProvider _clock = new();
    private readonly List<WindowResult> _results = [];

    private WindowEngine Create(WindowSpec spec, TimeSpan? lateness = null, int maxOpen = 1_000_000, TimeSpan? outOfOrder = null, IReadOnlyList<string>? keyTags = null) =>
        new(
            new WindowOptions(spec)
            {
                AllowedLateness = lateness ?? TimeSpan.Zero,
                MaxOpenWindows = maxOpen,
                KeyTags = keyTags ?? [],
                Watermarks = new WatermarkOptions { OutOfOrderness = outOfOrder ?? TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) },
            },
            _results.Add,
            _clock);

    private static Reading R(string device, double seconds, double value, string metric = "t") =>
        new(device, metric, (long)(seconds * Second), value);

    [Fact]
    public void Window_should_emit_when_watermark_passes_end()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)));
        engine.Add(R("d1", 1, 1));
        engine.Add(R("d1", 9.5, 3));
        engine.Flush();
        Assert.Empty(_results);

        engine.Add(R("d1", 10, 5)); // watermark 10 s = end of [0, 10)
        engine.Flush();
        var result = Assert.Single(_results);
        Assert.Equal(EmissionKind.Final, result.Kind);
        Assert.Equal(0, result.StartNs);
        Assert.Equal(10 * Second, result.EndNs);
        Assert.Equal(2, result.Aggregates.Count);
        Assert.Equal(2, result.Aggregates.Mean);
        Assert.Equal(1, result.Aggregates.First);
        Assert.Equal(3, result.Aggregates.Last);
    }

    [Fact]
    public void Late_reading_within_lateness_should_re_emit_the_window_with_the_same_identity()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), lateness: TimeSpan.FromSeconds(5));
        engine.Add(R("d1", 1, 1));
        engine.Add(R("d1", 12, 1));
        engine.Flush();
        Assert.Single(_results);

        Assert.True(engine.Add(R("d1", 2, 3)));
        engine.Flush();
        Assert.Equal(2, _results.Count);
        var update = _results[1];
        Assert.Equal(EmissionKind.LateUpdate, update.Kind);
        Assert.Equal(1, update.Revision);
        Assert.Equal((_results[0].Key, _results[0].StartNs), (update.Key, update.StartNs));
        Assert.Equal(2, update.Aggregates.Count);
    }

    [Fact]
    public void Reading_beyond_allowed_lateness_should_go_to_the_late_output_and_be_counted()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), lateness: TimeSpan.FromSeconds(5));
        engine.Add(R("d1", 1, 1));
        engine.Add(R("d1", 15, 1));
        engine.Flush();

        Assert.False(engine.Add(R("d1", 3, 9)));
        engine.Flush();
        Assert.Equal(1, engine.Counters.ReadingsLate);
        Assert.Single(_results);
    }

    [Fact]
    public void Hopping_reading_should_be_counted_in_every_window_containing_it()
    {
        var engine = Create(WindowSpec.Hopping(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
        engine.Add(R("d1", 7, 1));
        engine.CloseAll();
        Assert.Equal([0L, 5 * Second], _results.Select(r => r.StartNs).Order());
        Assert.All(_results, r => Assert.Equal(1, r.Aggregates.Count));
    }

    [Fact]
    public void Negative_timestamps_should_align_to_the_epoch()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)));
        engine.Add(R("d1", -1, 1));
        engine.CloseAll();
        Assert.Equal(-10 * Second, Assert.Single(_results).StartNs);
    }

    [Fact]
    public void Sessions_should_merge_readings_closer_than_the_gap_and_split_otherwise()
    {
        var engine = Create(WindowSpec.Session(TimeSpan.FromSeconds(5)), lateness: TimeSpan.FromMinutes(1), outOfOrder: TimeSpan.FromMinutes(1));
        engine.Add(R("d1", 0, 1));
        engine.Add(R("d1", 8, 2));
        engine.Add(R("d1", 4, 3)); // bridges [0,5) and [8,13)
        engine.Add(R("d1", 30, 4));
        engine.CloseAll();
        Assert.Equal(2, _results.Count);
        var first = _results.Single(r => r.StartNs == 0);
        Assert.Equal(13 * Second, first.EndNs);
        Assert.Equal(3, first.Aggregates.Count);
        Assert.Equal(35 * Second, _results.Single(r => r.StartNs == 30 * Second).EndNs);
    }

    [Fact]
    public void Key_tags_should_split_series_and_other_tags_should_be_ignored()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), keyTags: ["site"]);
        engine.Add(new Reading("d1", "t", Second, 1, TagSet.Create(("site", "a"), ("fw", "1"))));
        engine.Add(new Reading("d1", "t", Second, 2, TagSet.Create(("site", "a"), ("fw", "2"))));
        engine.Add(new Reading("d1", "t", Second, 3, TagSet.Create(("site", "b"))));
        engine.CloseAll();
        Assert.Equal(2, _results.Count);
        Assert.Equal(2, _results.Single(r => r.Key.Tags.Get("site") == "a").Aggregates.Count);
        Assert.Null(_results.Single(r => r.Key.Tags.Get("site") == "a").Key.Tags.Get("fw"));
    }

    [Fact]
    public void Open_window_limit_should_evict_the_oldest_window_early_and_count_it()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), maxOpen: 2, outOfOrder: TimeSpan.FromMinutes(5));
        engine.Add(R("d1", 1, 1));
        engine.Add(R("d2", 11, 1));
        engine.Add(R("d3", 21, 1)); // third window: [0,10) of d1 is evicted
        var evicted = Assert.Single(_results);
        Assert.Equal(EmissionKind.Evicted, evicted.Kind);
        Assert.Equal("d1", evicted.Key.DeviceId);
        Assert.Equal(1, engine.Counters.EvictedWindows);
        Assert.Equal(2, engine.Counters.OpenWindows);

        // The evicted window is not rebuilt from a partial set of readings.
        Assert.False(engine.Add(R("d1", 2, 1)));
        Assert.Equal(2, engine.Counters.OpenWindows);
    }

    [Fact]
    public void Early_results_should_report_changed_open_windows_without_releasing_them()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)));
        engine.Add(R("d1", 1, 1), sequence: 7);
        engine.EmitEarly();
        engine.EmitEarly(); // unchanged: nothing new
        var early = Assert.Single(_results);
        Assert.Equal(EmissionKind.Early, early.Kind);
        Assert.Equal(long.MaxValue, early.OldestSequence);
        Assert.Equal(7, engine.OldestUnemittedSequence);

        engine.CloseAll();
        Assert.Equal(EmissionKind.Final, _results[1].Kind);
        Assert.Equal(1, _results[1].Revision);
        Assert.Equal(7, _results[1].OldestSequence);
        Assert.Equal(long.MaxValue, engine.OldestUnemittedSequence);
    }

    [Fact]
    public void Oldest_unemitted_sequence_should_follow_the_windows_still_open()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), outOfOrder: TimeSpan.FromSeconds(3));
        engine.Add(R("d1", 1, 1), sequence: 1);
        engine.Add(R("d2", 5, 1), sequence: 2);
        engine.Add(R("d1", 12, 1), sequence: 3);
        engine.Flush();
        Assert.Equal(1, engine.OldestUnemittedSequence);
        engine.Add(R("d1", 13, 1), sequence: 4); // watermark 10 s closes [0,10)
        engine.Flush();
        Assert.Equal(3, engine.OldestUnemittedSequence);
        Assert.Equal([1L, 2L], _results.Select(r => r.OldestSequence).Order());
    }

    [Fact]
    public void Idle_fleet_should_close_windows_by_the_wall_clock_fallback()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)));
        engine.Add(R("d1", 1, 1));
        engine.Flush();
        Assert.Empty(_results);
        _clock.Advance(TimeSpan.FromSeconds(31));
        engine.Flush();
        Assert.Single(_results);
    }
    [Fact]
    public void Replayed_reading_should_skip_only_the_windows_its_partition_saved_as_final()
    {
        var engine = Create(WindowSpec.Hopping(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
        Assert.True(engine.SetFinalWatermark(3, 12 * Second));

        // 7 s is in [0 s, 10 s) (final: 10 ≤ 12) and in [5 s, 15 s) (open): folded into the second only.
        Assert.Equal(FoldOutcome.Accepted, engine.Fold(R("d1", 7, 1), partition: 3));
        Assert.Equal(FoldOutcome.ReplayedFinal, engine.Fold(R("d1", 2, 1), partition: 3)); // [−5 s, 5 s) and [0 s, 10 s): both final
        Assert.Equal(FoldOutcome.Accepted, engine.Fold(R("d1", 2, 1), partition: 4)); // another partition saved nothing
        engine.CloseAll();

        Assert.Equal([(-5 * Second, 1L), (0L, 1L), (5 * Second, 1L)], _results.Select(r => (r.StartNs, r.Aggregates.Count)).Order());
        Assert.Equal(1, engine.Counters.ReadingsReplayedFinal);
        Assert.Equal(0, engine.Counters.ReadingsLate);
    }

    [Fact]
    public void Messages_should_be_held_until_their_windows_are_past_the_allowed_lateness_not_just_fired()
    {
        var engine = Create(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)), lateness: TimeSpan.FromSeconds(5));
        engine.Add(R("d1", 1, 1), sequence: 0);
        engine.Add(R("d1", 11, 1), sequence: 1);
        engine.Flush(); // [0 s, 10 s) fired, but a late reading may still change it
        Assert.Single(_results);
        Assert.Equal(1, engine.OldestUnemittedSequence); // what the first firing covers
        Assert.Equal(0, engine.OldestUnfinalSequence);

        engine.Add(R("d1", 15, 1), sequence: 2);
        engine.Flush(); // watermark 15 s ≥ 10 s + 5 s: final
        Assert.Equal(1, engine.OldestUnfinalSequence);
        Assert.Equal(15 * Second, engine.FinalWatermark);
    }
}
