using System.Globalization;
using System.Reactive.Linq;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Transforms;

namespace ReactiveIngest.Service.Analytics;

/// <summary>A validated <see cref="AlertRuleDefinition"/> bound to its target.</summary>
/// <param name="Key">Its configuration path, for messages.</param>
/// <param name="Type">The parsed type.</param>
/// <param name="Definition">The bound definition.</param>
/// <param name="Target">Index of its target in <see cref="AlertCatalog.Targets"/>.</param>
/// <param name="Topic">The topic its events go to.</param>
public sealed record ConfiguredAlertRule(string Key, AlertRuleType Type, AlertRuleDefinition Definition, int Target, string Topic)
{
    /// <summary>The alert events of <paramref name="readings"/> (all of the rule's metric and devices).</summary>
    public IObservable<AlertEvent> Apply(IObservable<Reading> readings)
    {
        var d = Definition;
        if (Type == AlertRuleType.StuckSensor)
        {
            return readings.StuckSensorAlarm(d.Repeats!.Value, d.MaxDevices)
                .Select(a => Event(a, a.Kind == AlertKind.Stuck ? AlertState.Raised : AlertState.Cleared, a.Detail));
        }

        if (d.High is { } high)
        {
            var clear = d.Clear!.Value;
            return readings.ThresholdAlert(high, clear, d.MaxDevices)
                .Select(a => a.Kind == AlertKind.ThresholdRaised
                    ? Event(a, AlertState.Raised, string.Create(CultureInfo.InvariantCulture, $"{a.Value} > {high}"))
                    : Event(a, AlertState.Cleared, string.Create(CultureInfo.InvariantCulture, $"{a.Value} < {clear}")));
        }

        // A low threshold is a high threshold on the negated value: raised below Low, cleared above Clear.
        var low = d.Low!.Value;
        var clearAbove = d.Clear!.Value;
        return readings.Select(r => r with { Value = -r.Value })
            .ThresholdAlert(-low, -clearAbove, d.MaxDevices)
            .Select(a => a with { Value = -a.Value })
            .Select(a => a.Kind == AlertKind.ThresholdRaised
                ? Event(a, AlertState.Raised, string.Create(CultureInfo.InvariantCulture, $"{a.Value} < {low}"))
                : Event(a, AlertState.Cleared, string.Create(CultureInfo.InvariantCulture, $"{a.Value} > {clearAbove}")));
    }

    internal ReadingRoute<PendingAlert> ToRoute() =>
        new(
            Definition.Metric,
            Definition.Devices.Count == 0 ? null : Definition.Devices.ToHashSet(StringComparer.Ordinal),
            readings => Apply(readings).Select(e => new PendingAlert(e, Target, Topic, e.ToJson())));

    private AlertEvent Event(Alert alert, AlertState state, string detail) =>
        new(Definition.Name, Type, alert.DeviceId, alert.Metric, alert.Value, state, alert.TimestampNs, detail);
}
