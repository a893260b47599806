using System.Reactive.Linq;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Samples.CustomRxTransform;

/// <summary>
/// A custom Rx transform: an exponentially weighted moving average per series (device, metric). Written like the
/// built-in ones (an extension on <see cref="IObservable{T}"/> composed from Rx operators, state created per
/// subscription with <see cref="Observable.Defer{TResult}(Func{IObservable{TResult}})"/>), so it plugs into
/// <c>RxTransform.Create</c>.
/// </summary>
public static class EwmaTransform
{
    /// <summary>
    /// Emits, for every reading, the reading and <c>avg = alpha·value + (1 − alpha)·previous avg</c> of its series (the
    /// first reading of a series starts the average). At most <paramref name="maxSeries"/> series are tracked; when a
    /// new series would exceed that, every average is forgotten and restarts from the next reading (bounded state).
    /// </summary>
    public static IObservable<SmoothedReading> Ewma(this IObservable<Reading> source, double alpha, int maxSeries = 10_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(alpha, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSeries);
        return Observable.Defer(() =>
        {
            var averages = new Dictionary<(string Device, string Metric), double>();
            return source.Select(r =>
            {
                var key = (r.DeviceId, r.Metric);
                if (!averages.TryGetValue(key, out var previous))
                {
                    if (averages.Count >= maxSeries)
                    {
                        averages.Clear();
                    }

                    averages[key] = r.Value;
                    return new SmoothedReading(r, r.Value);
                }

                var average = (alpha * r.Value) + ((1 - alpha) * previous);
                averages[key] = average;
                return new SmoothedReading(r, average);
            });
        });
    }
}
