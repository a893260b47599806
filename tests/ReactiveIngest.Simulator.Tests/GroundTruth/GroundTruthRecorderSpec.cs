using ReactiveIngest.Simulator.GroundTruth;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.GroundTruth;

public sealed class GroundTruthRecorderSpec
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(9_999, 0)]
    [InlineData(10_000, 10_000)]
    [InlineData(-1, -10_000)]
    [InlineData(1_767_225_612_345, 1_767_225_610_000)]
    public void Window_start_should_align_to_the_epoch(long timestampMs, long expected) =>
        Assert.Equal(expected, GroundTruthRecorder.WindowStart(timestampMs));

    [Fact]
    public void Readings_should_be_aggregated_per_device_metric_and_ten_second_window()
    {
        var recorder = new GroundTruthRecorder("Json");
        string[] metrics = ["temperature", "humidity"];
        recorder.RecordReading("d1", 1_000, metrics, [20.0, 40]);
        recorder.RecordReading("d1", 9_000, metrics, [22.5, 38]);
        recorder.RecordReading("d1", 10_000, metrics, [30.0, 35]);
        recorder.RecordReading("d2", 5_000, metrics, [-4.0, 90]);

        var windows = GroundTruthRecorder.Merge([recorder]).WindowMap();

        Assert.Equal(6, windows.Count);
        Assert.Equal(new WindowStats(2, 42.5, 20, 22.5), windows[new WindowKey("d1", "temperature", 0)]);
        Assert.Equal(new WindowStats(2, 78, 38, 40), windows[new WindowKey("d1", "humidity", 0)]);
        Assert.Equal(WindowStats.Of(30), windows[new WindowKey("d1", "temperature", 10_000)]);
        Assert.Equal(WindowStats.Of(-4), windows[new WindowKey("d2", "temperature", 0)]);
    }

    [Fact]
    public void Readings_for_an_earlier_window_after_a_later_one_started_should_still_count_in_their_own_window()
    {
        var recorder = new GroundTruthRecorder("Json");
        string[] metric = ["m"];
        recorder.RecordReading("d1", 1_000, metric, [1.0]);
        recorder.RecordReading("d1", 12_000, metric, [10.0]);
        recorder.RecordReading("d1", 5_000, metric, [3.0]); // late: window 0 while window 10 s is open
        recorder.RecordReading("d1", 15_000, metric, [20.0]);
        recorder.RecordReading("d1", 9_000, metric, [-1.0]);

        var snapshot = GroundTruthRecorder.Merge([recorder]);
        var windows = snapshot.WindowMap();

        Assert.Equal(2, windows.Count);
        Assert.Equal(new WindowStats(3, 3, -1, 3), windows[new WindowKey("d1", "m", 0)]);
        Assert.Equal(new WindowStats(2, 30, 10, 20), windows[new WindowKey("d1", "m", 10_000)]);
        Assert.Equal(5, snapshot.Readings);
    }

    [Fact]
    public void Merged_snapshot_should_keep_tallies_and_injections_and_count_beyond_the_list_limit()
    {
        var a = new GroundTruthRecorder("Json", maxInjections: 1);
        var b = new GroundTruthRecorder("Json");
        a.RecordPublished("d1");
        a.RecordPublished("d1");
        a.RecordInjection(new Injection(InjectionKind.Duplicate, "d1", 5, 6));
        a.RecordInjection(new Injection(InjectionKind.Malformed, "d1", 7, 8, "Truncated"));
        b.RecordPublished("d2");
        b.RecordDiscarded("d2");

        var snapshot = GroundTruthRecorder.Merge([a, b]);

        Assert.Equal(3, snapshot.Published);
        Assert.Equal(1, snapshot.InjectionsNotListed);
        Assert.Single(snapshot.Injections);
        Assert.Equal(1, snapshot.InjectionCounts["Malformed"]);
        var d1 = snapshot.Devices.Single(d => d.DeviceId == "d1");
        Assert.Equal((2L, 1L, 1L), (d1.Published, d1.Duplicates, d1.Malformed));
        Assert.Equal(1, snapshot.Devices.Single(d => d.DeviceId == "d2").Discarded);
    }

    [Fact]
    public void Window_recording_should_stop_at_the_limit_and_say_so()
    {
        var recorder = new GroundTruthRecorder("Json", maxWindows: 2);
        string[] metric = ["m"];
        for (var i = 0; i < 5; i++)
        {
            recorder.RecordReading("d1", i * 10_000L, metric, [1.0]);
        }

        var snapshot = GroundTruthRecorder.Merge([recorder]);
        Assert.True(snapshot.WindowsTruncated);
        Assert.Equal(2, snapshot.Windows.Count);
        Assert.Equal(5, snapshot.Readings);
    }

    [Fact]
    public async Task Ground_truth_file_should_round_trip()
    {
        var recorder = new GroundTruthRecorder("Json");
        recorder.RecordReading("d1", 1_000, ["t"], [1.25]);
        recorder.RecordInjection(new Injection(InjectionKind.Late, "d1", 1_000, 31_000));
        var path = Path.GetTempFileName();
        try
        {
            await GroundTruthFile.WriteAsync(GroundTruthRecorder.Merge([recorder]), path);
            var back = await GroundTruthFile.ReadAsync(path);
            Assert.Equal(WindowStats.Of(1.25), back.WindowMap()[new WindowKey("d1", "t", 0)]);
            Assert.Equal(InjectionKind.Late, Assert.Single(back.Injections).Kind);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
