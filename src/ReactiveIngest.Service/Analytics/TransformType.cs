namespace ReactiveIngest.Service.Analytics;

/// <summary>The built-in transforms that can be configured under <c>ReactiveIngest:Transforms</c>.</summary>
public enum TransformType
{
    /// <summary>Pass a value only when it moved more than <see cref="TransformDefinition.Threshold"/> from the last one passed.</summary>
    Deadband,

    /// <summary>(value − previous) / elapsed event seconds; the first reading of a device yields nothing.</summary>
    RateOfChange,

    /// <summary>Mean of the last <see cref="TransformDefinition.Count"/> values.</summary>
    MovingAverage,

    /// <summary>Exponentially weighted moving average with time constant <see cref="TransformDefinition.TimeConstant"/> (event time).</summary>
    Ewma,
}
