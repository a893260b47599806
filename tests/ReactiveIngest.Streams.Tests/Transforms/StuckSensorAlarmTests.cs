using System.Reactive.Linq;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Transforms;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Transforms;

public class StuckSensorAlarmTests
{
    private static Reading R(double seconds, double value, string device = "d") =>
        new(device, "t", (long)(seconds * UnixTime.NanosPerSecond), value);

    private static List<Alert> Run(int repeats, int maxSeries, params Reading[] readings)
    {
        var output = new List<Alert>();
        using (readings.ToObservable().StuckSensorAlarm(repeats, maxSeries).Subscribe(output.Add))
        {
            return output;
        }
    }

    [Fact]
    public void Stuck_sensor_alarm_should_raise_on_the_nth_repeat_and_clear_when_the_value_changes()
    {
        var output = Run(3, 100, R(0, 1), R(1, 1), R(2, 1), R(3, 1), R(4, 2), R(5, 3), R(6, 3), R(7, 3), R(8, 4));
        Assert.Equal(
            [(AlertKind.Stuck, 1.0, 2L), (AlertKind.StuckCleared, 2.0, 4L), (AlertKind.Stuck, 3.0, 7L), (AlertKind.StuckCleared, 4.0, 8L)],
            output.Select(a => (a.Kind, a.Value, a.TimestampNs / UnixTime.NanosPerSecond)));
    }

    [Fact]
    public void Stuck_sensor_alarm_should_not_clear_a_series_that_was_never_raised()
    {
        Assert.Empty(Run(3, 100, R(0, 1), R(1, 1), R(2, 2), R(3, 2), R(4, 5)));
    }

    [Fact]
    public void Stuck_sensor_alarm_should_keep_series_apart_and_forget_the_oldest_beyond_the_limit()
    {
        // a and b interleave; with room for two series both raise. Then c evicts a and a evicts b, so neither change clears.
        var output = Run(2, 2, R(0, 1, "a"), R(0, 7, "b"), R(1, 1, "a"), R(1, 7, "b"), R(2, 0, "c"), R(3, 9, "a"), R(3, 8, "b"));
        Assert.Equal(
            [("a", AlertKind.Stuck), ("b", AlertKind.Stuck)],
            output.Take(2).Select(a => (a.DeviceId, a.Kind)));
        Assert.Equal(2, output.Count);
    }
}
