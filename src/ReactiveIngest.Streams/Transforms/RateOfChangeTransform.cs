using System.Reactive.Linq;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>Rate of change per second between consecutive readings of a series (event time).</summary>
public static class RateOfChangeTransform
{
    /// <summary>
    /// For each reading after the first of its series, emits a reading of metric <c>{metric}{suffix}</c> at the same
    /// time whose value is (value − previous value) / (elapsed event seconds). Readings not newer than the previous
    /// one of their series are skipped (no rate without elapsed time).
    /// </summary>
    public static IObservable<Reading> RateOfChange(this IObservable<Reading> source, string suffix = "_rate", int maxSeries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(suffix);
        return Observable.Defer(() =>
        {
            var states = new SeriesStateMap<Previous>(maxSeries);
            return source.SelectMany(r =>
            {
                var state = states.Get(r, out var created);
                if (created)
                {
                    state.TimestampNs = r.TimestampNs;
                    state.Value = r.Value;
                    return Observable.Empty<Reading>();
                }

                if (r.TimestampNs <= state.TimestampNs)
                {
                    return Observable.Empty<Reading>();
                }

                var rate = (r.Value - state.Value) / ((r.TimestampNs - state.TimestampNs) / (double)UnixTime.NanosPerSecond);
                state.TimestampNs = r.TimestampNs;
                state.Value = r.Value;
                return Observable.Return(r with { Metric = r.Metric + suffix, Value = rate });
            });
        });
    }

    private sealed class Previous
    {
        public long TimestampNs { get; set; }

        public double Value { get; set; }
    }
}
