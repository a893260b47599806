using System.Globalization;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>Detects sensors that repeat one value or stop reporting.</summary>
public static class StuckSensorTransform
{
    /// <summary>
    /// Emits one <see cref="AlertKind.Stuck"/> alert when a series reports exactly the same value
    /// <paramref name="repeats"/> times in a row (once per streak).
    /// </summary>
    public static IObservable<Alert> StuckSensor(this IObservable<Reading> source, int repeats, int maxSeries = 100_000)
    {
        // The raise half of the alarm: the same streak tracking, without the clear events.
        var detail = string.Create(CultureInfo.InvariantCulture, $"same value {repeats} times");
        return source.StuckSensorAlarm(repeats, maxSeries)
            .Where(a => a.Kind == AlertKind.Stuck)
            .Select(a => a with { Detail = detail });
    }

    /// <summary>
    /// Emits a <see cref="AlertKind.Silent"/> alert when a series that has reported sends nothing for
    /// <paramref name="silence"/> on <paramref name="scheduler"/>'s clock (checked every silence / 4); once per
    /// silent spell. Completes when the source completes.
    /// </summary>
    public static IObservable<Alert> SilentSensor(this IObservable<Reading> source, TimeSpan silence, IScheduler scheduler, int maxSeries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(silence, TimeSpan.Zero);
        return Observable.Create<Alert>(observer =>
        {
            var gate = new object();
            var states = new SeriesStateMap<LastSeen>(maxSeries);
            var timer = scheduler.SchedulePeriodic(silence / 4, () =>
            {
                lock (gate)
                {
                    var now = scheduler.Now;
                    foreach (var (key, state) in states.Entries)
                    {
                        if (!state.Alerted && now - state.At >= silence)
                        {
                            state.Alerted = true;
                            observer.OnNext(new Alert(key.Item1, key.Item2, AlertKind.Silent, state.Value, state.TimestampNs,
                                string.Create(CultureInfo.InvariantCulture, $"no reading for {silence}")));
                        }
                    }
                }
            });
            var subscription = source.Subscribe(
                r =>
                {
                    lock (gate)
                    {
                        var state = states.Get(r, out _);
                        state.At = scheduler.Now;
                        state.Value = r.Value;
                        state.TimestampNs = r.TimestampNs;
                        state.Alerted = false;
                    }
                },
                error =>
                {
                    lock (gate)
                    {
                        observer.OnError(error);
                    }
                },
                () =>
                {
                    lock (gate)
                    {
                        observer.OnCompleted();
                    }
                });
            return new CompositeDisposableOf(timer, subscription);
        });
    }

    private sealed class LastSeen
    {
        public DateTimeOffset At { get; set; }

        public double Value { get; set; }

        public long TimestampNs { get; set; }

        public bool Alerted { get; set; }
    }

    private sealed class CompositeDisposableOf(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            second.Dispose();
            first.Dispose();
        }
    }
}
