using System.Reactive.Concurrency;
using System.Reactive.Linq;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>Moving averages per series: over the last N readings, or over a time window on a scheduler's clock.</summary>
public static class MovingAverageTransform
{
    /// <summary>For each reading emits <c>{metric}{suffix}</c> = mean of the last <paramref name="count"/> values of its series.</summary>
    public static IObservable<Reading> MovingAverage(this IObservable<Reading> source, int count, string suffix = "_avg", int maxSeries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return Observable.Defer(() =>
        {
            var states = new SeriesStateMap<Ring>(maxSeries);
            return source.Select(r =>
            {
                var ring = states.Get(r, out _);
                ring.Values ??= new double[count];
                if (ring.Filled == count)
                {
                    ring.Sum -= ring.Values[ring.Next];
                }
                else
                {
                    ring.Filled++;
                }

                ring.Values[ring.Next] = r.Value;
                ring.Sum += r.Value;
                ring.Next = (ring.Next + 1) % count;
                return r with { Metric = r.Metric + suffix, Value = ring.Sum / ring.Filled };
            });
        });
    }

    /// <summary>
    /// For each reading emits <c>{metric}{suffix}</c> = mean of the values of its series that arrived within
    /// <paramref name="window"/> on <paramref name="scheduler"/>'s clock (processing time; use a virtual-time
    /// scheduler in tests). At most <paramref name="maxSamplesPerSeries"/> samples are kept per series (oldest dropped).
    /// </summary>
    public static IObservable<Reading> MovingAverage(
        this IObservable<Reading> source,
        TimeSpan window,
        IScheduler scheduler,
        string suffix = "_avg",
        int maxSamplesPerSeries = 10_000,
        int maxSeries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSamplesPerSeries, 1);
        return Observable.Defer(() =>
        {
            var states = new SeriesStateMap<Samples>(maxSeries);
            return source.Select(r =>
            {
                var samples = states.Get(r, out _);
                var now = scheduler.Now;
                while (samples.Queue.Count > 0 && (samples.Queue.Count >= maxSamplesPerSeries || now - samples.Queue.Peek().At >= window))
                {
                    samples.Sum -= samples.Queue.Dequeue().Value;
                }

                samples.Queue.Enqueue((now, r.Value));
                samples.Sum += r.Value;
                return r with { Metric = r.Metric + suffix, Value = samples.Sum / samples.Queue.Count };
            });
        });
    }

    /// <summary>
    /// Exponentially weighted moving average with time constant <paramref name="timeConstant"/> in event time: the
    /// weight of the new value is 1 − e^(−Δt/τ), so irregular sampling is handled. Emits <c>{metric}{suffix}</c>.
    /// </summary>
    public static IObservable<Reading> Ewma(this IObservable<Reading> source, TimeSpan timeConstant, string suffix = "_ewma", int maxSeries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeConstant, TimeSpan.Zero);
        var tauNs = (double)UnixTime.ToNanos(timeConstant);
        return Observable.Defer(() =>
        {
            var states = new SeriesStateMap<Smoothed>(maxSeries);
            return source.Select(r =>
            {
                var s = states.Get(r, out var created);
                if (created)
                {
                    s.Value = r.Value;
                    s.TimestampNs = r.TimestampNs;
                }
                else
                {
                    var dt = Math.Max(0, r.TimestampNs - s.TimestampNs);
                    var alpha = 1 - Math.Exp(-dt / tauNs);
                    s.Value += alpha * (r.Value - s.Value);
                    s.TimestampNs = Math.Max(s.TimestampNs, r.TimestampNs);
                }

                return r with { Metric = r.Metric + suffix, Value = s.Value };
            });
        });
    }

    private sealed class Ring
    {
        public double[]? Values { get; set; }

        public int Next { get; set; }

        public int Filled { get; set; }

        public double Sum { get; set; }
    }

    private sealed class Samples
    {
        public Queue<(DateTimeOffset At, double Value)> Queue { get; } = new();

        public double Sum { get; set; }
    }

    private sealed class Smoothed
    {
        public double Value { get; set; }

        public long TimestampNs { get; set; }
    }
}
