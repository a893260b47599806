using System.Reactive.Linq;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>Deadband: pass a reading only when it differs from the last one passed for its series by more than a threshold.</summary>
public static class DeadbandTransform
{
    /// <summary>
    /// Emits the first reading of each series, then only readings whose value differs from the last emitted value of
    /// that series by more than <paramref name="threshold"/>.
    /// </summary>
    public static IObservable<Reading> Deadband(this IObservable<Reading> source, double threshold, int maxSeries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        return Observable.Defer(() =>
        {
            var states = new SeriesStateMap<LastValue>(maxSeries);
            return source.Where(r =>
            {
                var state = states.Get(r, out var created);
                if (created || Math.Abs(r.Value - state.Value) > threshold)
                {
                    state.Value = r.Value;
                    return true;
                }

                return false;
            });
        });
    }

    private sealed class LastValue
    {
        public double Value { get; set; }
    }
}
