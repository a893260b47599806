using System.Globalization;
using System.Reactive.Linq;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>Threshold alarm with hysteresis.</summary>
public static class ThresholdAlertTransform
{
    /// <summary>
    /// Raises an alert when a series' value goes above <paramref name="raiseAbove"/> and clears it only when the
    /// value falls below <paramref name="clearBelow"/> (≤ raiseAbove), so a value hovering around one threshold does
    /// not flap. Emits one <see cref="AlertKind.ThresholdRaised"/> / <see cref="AlertKind.ThresholdCleared"/> per change.
    /// </summary>
    public static IObservable<Alert> ThresholdAlert(this IObservable<Reading> source, double raiseAbove, double clearBelow, int maxSeries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (clearBelow > raiseAbove)
        {
            throw new ArgumentOutOfRangeException(nameof(clearBelow), clearBelow, "The clear threshold must not exceed the raise threshold.");
        }

        return Observable.Defer(() =>
        {
            var states = new SeriesStateMap<AlarmState>(maxSeries);
            return source.SelectMany(r =>
            {
                var state = states.Get(r, out _);
                if (!state.Raised && r.Value > raiseAbove)
                {
                    state.Raised = true;
                    return Observable.Return(new Alert(r.DeviceId, r.Metric, AlertKind.ThresholdRaised, r.Value, r.TimestampNs,
                        string.Create(CultureInfo.InvariantCulture, $"{r.Value} > {raiseAbove}")));
                }

                if (state.Raised && r.Value < clearBelow)
                {
                    state.Raised = false;
                    return Observable.Return(new Alert(r.DeviceId, r.Metric, AlertKind.ThresholdCleared, r.Value, r.TimestampNs,
                        string.Create(CultureInfo.InvariantCulture, $"{r.Value} < {clearBelow}")));
                }

                return Observable.Empty<Alert>();
            });
        });
    }

    private sealed class AlarmState
    {
        public bool Raised { get; set; }
    }
}
