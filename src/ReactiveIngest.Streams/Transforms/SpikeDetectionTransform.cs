using System.Globalization;
using System.Reactive.Linq;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>Spike detection against a rolling mean and standard deviation.</summary>
public static class SpikeDetectionTransform
{
    /// <summary>
    /// Emits a <see cref="AlertKind.Spike"/> alert for a reading whose value differs from the mean of the previous
    /// <paramref name="window"/> values of its series by more than <paramref name="sigmas"/> standard deviations
    /// (after the window has filled; a spike does not enter the baseline).
    /// </summary>
    public static IObservable<Alert> SpikeDetection(this IObservable<Reading> source, int window, double sigmas, int maxSeries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sigmas, 0);
        return Observable.Defer(() =>
        {
            var states = new SeriesStateMap<Baseline>(maxSeries);
            return source.SelectMany(r =>
            {
                var b = states.Get(r, out _);
                b.Values ??= new double[window];
                if (b.Filled == window)
                {
                    var mean = b.Sum / window;
                    var variance = Math.Max(0, (b.SumOfSquares / window) - (mean * mean));
                    var deviation = Math.Abs(r.Value - mean);
                    if (deviation > sigmas * Math.Sqrt(variance) && deviation > 1e-12 * Math.Max(1, Math.Abs(mean)))
                    {
                        return Observable.Return(new Alert(r.DeviceId, r.Metric, AlertKind.Spike, r.Value, r.TimestampNs,
                            string.Create(CultureInfo.InvariantCulture, $"{r.Value} is {deviation / Math.Max(Math.Sqrt(variance), double.Epsilon):F1} σ from mean {mean}")));
                    }

                    b.Sum -= b.Values[b.Next];
                    b.SumOfSquares -= b.Values[b.Next] * b.Values[b.Next];
                }
                else
                {
                    b.Filled++;
                }

                b.Values[b.Next] = r.Value;
                b.Sum += r.Value;
                b.SumOfSquares += r.Value * r.Value;
                b.Next = (b.Next + 1) % window;
                return Observable.Empty<Alert>();
            });
        });
    }

    private sealed class Baseline
    {
        public double[]? Values { get; set; }

        public int Next { get; set; }

        public int Filled { get; set; }

        public double Sum { get; set; }

        public double SumOfSquares { get; set; }
    }
}
