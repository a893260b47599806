using System.Reactive.Linq;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Transforms;

namespace ReactiveIngest.Service.Analytics;

/// <summary>A validated <see cref="TransformDefinition"/>.</summary>
/// <param name="Key">Its configuration path, for messages.</param>
/// <param name="Type">The parsed type.</param>
/// <param name="Definition">The bound definition.</param>
public sealed record ConfiguredTransform(string Key, TransformType Type, TransformDefinition Definition)
{
    /// <summary>The derived readings of <paramref name="readings"/> (all of the configured metric and devices), renamed to the output metric.</summary>
    public IObservable<Reading> Apply(IObservable<Reading> readings)
    {
        var d = Definition;
        var derived = Type switch
        {
            TransformType.Deadband => readings.Deadband(d.Threshold!.Value, d.MaxDevices),
            TransformType.RateOfChange => readings.RateOfChange(maxSeries: d.MaxDevices),
            TransformType.MovingAverage => readings.MovingAverage(d.Count!.Value, maxSeries: d.MaxDevices),
            _ => readings.Ewma(d.TimeConstant!.Value, maxSeries: d.MaxDevices),
        };
        var output = d.Output;
        return derived.Select(r => r with { Metric = output });
    }

    internal ReadingRoute<Reading> ToRoute() =>
        new(Definition.Metric, Definition.Devices.Count == 0 ? null : Definition.Devices.ToHashSet(StringComparer.Ordinal), Apply);
}
