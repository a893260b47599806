namespace ReactiveIngest.Streams.Transforms;

/// <summary>What an <see cref="Alert"/> reports.</summary>
public enum AlertKind
{
    /// <summary>The value crossed the upper threshold (hysteresis alarm raised).</summary>
    ThresholdRaised = 1,

    /// <summary>The value fell back below the lower threshold (alarm cleared).</summary>
    ThresholdCleared = 2,

    /// <summary>The sensor reported the same value N times in a row.</summary>
    Stuck = 3,

    /// <summary>The sensor sent nothing for longer than allowed.</summary>
    Silent = 4,

    /// <summary>The value deviates from the recent mean by more than the configured number of standard deviations.</summary>
    Spike = 5,

    /// <summary>A series that was reported stuck sent a different value (see <see cref="StuckSensorAlarmTransform"/>).</summary>
    StuckCleared = 6,
}
