using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Transforms;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Transforms;

public class TransformTests
{
    private static Reading R(double seconds, double value, string device = "d") =>
        new(device, "t", (long)(seconds * UnixTime.NanosPerSecond), value);

    private static List<T> Run<T>(Func<IObservable<Reading>, IObservable<T>> transform, params Reading[] readings)
    {
        var output = new List<T>();
        using (transform(readings.ToObservable()).Subscribe(output.Add))
        {
            return output;
        }
    }

    [Fact]
    public void Deadband_should_pass_only_changes_beyond_the_threshold_per_series()
    {
        var output = Run(o => o.Deadband(0.5), R(0, 10), R(1, 10.3), R(2, 10.6), R(3, 10.2), R(4, 9.9), R(5, 1, "other"));
        Assert.Equal([10, 10.6, 9.9, 1], output.Select(r => r.Value));
    }

    [Fact]
    public void Rate_of_change_should_be_per_event_second()
    {
        var output = Run(o => o.RateOfChange(), R(0, 10), R(2, 14), R(2, 99), R(3, 13));
        Assert.Equal([2.0, -1.0], output.Select(r => r.Value));
        Assert.All(output, r => Assert.Equal("t_rate", r.Metric));
    }

    [Fact]
    public void Moving_average_should_average_the_last_n_values()
    {
        var output = Run(o => o.MovingAverage(3), R(0, 3), R(1, 6), R(2, 9), R(3, 12));
        Assert.Equal([3.0, 4.5, 6.0, 9.0], output.Select(r => r.Value));
    }

    [Fact]
    public void Time_based_moving_average_should_use_the_scheduler_clock()
    {
        var scheduler = new HistoricalScheduler();
        var input = new Subject<Reading>();
        var output = new List<double>();
        using var subscription = input.MovingAverage(TimeSpan.FromSeconds(10), scheduler).Subscribe(r => output.Add(r.Value));
        input.OnNext(R(0, 10));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5));
        input.OnNext(R(5, 20));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(6)); // the first sample is now 11 s old
        input.OnNext(R(11, 30));
        Assert.Equal([10.0, 15.0, 25.0], output);
    }

    [Fact]
    public void Ewma_should_weight_new_values_by_elapsed_event_time()
    {
        var output = Run(o => o.Ewma(TimeSpan.FromSeconds(1)), R(0, 0), R(1, 10), R(1, 10));
        Assert.Equal(0, output[0].Value);
        Assert.Equal(10 * (1 - Math.Exp(-1)), output[1].Value, 9);
        Assert.Equal(output[1].Value, output[2].Value, 9); // no elapsed time: unchanged
    }

    [Fact]
    public void Threshold_alert_should_use_hysteresis()
    {
        var output = Run(o => o.ThresholdAlert(raiseAbove: 80, clearBelow: 70), R(0, 79), R(1, 81), R(2, 79), R(3, 85), R(4, 75), R(5, 69), R(6, 72));
        Assert.Equal([AlertKind.ThresholdRaised, AlertKind.ThresholdCleared], output.Select(a => a.Kind));
        Assert.Equal([81.0, 69.0], output.Select(a => a.Value));
    }

    [Fact]
    public void Stuck_sensor_should_alert_once_per_streak_of_identical_values()
    {
        var output = Run(o => o.StuckSensor(3), R(0, 1), R(1, 1), R(2, 1), R(3, 1), R(4, 2), R(5, 2), R(6, 2));
        Assert.Equal(2, output.Count);
        Assert.All(output, a => Assert.Equal(AlertKind.Stuck, a.Kind));
        Assert.Equal([2 * UnixTime.NanosPerSecond, 6 * UnixTime.NanosPerSecond], output.Select(a => a.TimestampNs));
    }

    [Fact]
    public void Silent_sensor_should_alert_on_virtual_time_once_per_silent_spell()
    {
        var scheduler = new HistoricalScheduler();
        var input = new Subject<Reading>();
        var alerts = new List<Alert>();
        using var subscription = input.SilentSensor(TimeSpan.FromMinutes(1), scheduler).Subscribe(alerts.Add);
        input.OnNext(R(0, 5));
        scheduler.AdvanceBy(TimeSpan.FromSeconds(50));
        Assert.Empty(alerts);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(30));
        var alert = Assert.Single(alerts);
        Assert.Equal(AlertKind.Silent, alert.Kind);
        scheduler.AdvanceBy(TimeSpan.FromMinutes(5));
        Assert.Single(alerts);
        input.OnNext(R(400, 6));
        scheduler.AdvanceBy(TimeSpan.FromMinutes(2));
        Assert.Equal(2, alerts.Count);
    }

    [Fact]
    public void Spike_detection_should_flag_outliers_against_the_rolling_baseline()
    {
        var readings = Enumerable.Range(0, 20).Select(i => R(i, 10 + (i % 2 == 0 ? 0.1 : -0.1))).Append(R(20, 15)).Append(R(21, 10.1)).ToArray();
        var output = Run(o => o.SpikeDetection(window: 10, sigmas: 4), readings);
        var spike = Assert.Single(output);
        Assert.Equal(15, spike.Value);
        Assert.Equal(AlertKind.Spike, spike.Kind);
    }
}
