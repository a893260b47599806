using System.Globalization;
using System.Reactive.Linq;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>Stuck-sensor detection as an alarm that is raised and cleared.</summary>
public static class StuckSensorAlarmTransform
{
    /// <summary>
    /// Emits a <see cref="AlertKind.Stuck"/> alert when a series reports exactly the same value
    /// <paramref name="repeats"/> times in a row, and a <see cref="AlertKind.StuckCleared"/> alert when that series
    /// then reports a different value. One raise and one clear per streak. State per series is bounded by
    /// <paramref name="maxSeries"/>: beyond it the series created first is forgotten (a forgotten stuck series that
    /// reports again starts a new streak and is not cleared).
    /// </summary>
    public static IObservable<Alert> StuckSensorAlarm(this IObservable<Reading> source, int repeats, int maxSeries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 2);
        return Observable.Defer(() =>
        {
            var states = new SeriesStateMap<Streak>(maxSeries);
            return source.SelectMany(r =>
            {
                var s = states.Get(r, out var created);
                if (!created && r.Value.Equals(s.Value))
                {
                    s.Count++;
                    if (s.Count == repeats)
                    {
                        s.Raised = true;
                        return Observable.Return(new Alert(r.DeviceId, r.Metric, AlertKind.Stuck, r.Value, r.TimestampNs,
                            string.Create(CultureInfo.InvariantCulture, $"same value {r.Value} {repeats} times")));
                    }

                    return Observable.Empty<Alert>();
                }

                var wasRaised = s.Raised;
                var stuckValue = s.Value;
                s.Value = r.Value;
                s.Count = 1;
                s.Raised = false;
                return wasRaised
                    ? Observable.Return(new Alert(r.DeviceId, r.Metric, AlertKind.StuckCleared, r.Value, r.TimestampNs,
                        string.Create(CultureInfo.InvariantCulture, $"value changed from {stuckValue} to {r.Value}")))
                    : Observable.Empty<Alert>();
            });
        });
    }

    private sealed class Streak
    {
        public double Value { get; set; }

        public int Count { get; set; }

        public bool Raised { get; set; }
    }
}
