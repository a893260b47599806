namespace ReactiveIngest.Service.Analytics;

/// <summary>The kinds of alert rule.</summary>
public enum AlertRuleType
{
    /// <summary>Threshold with hysteresis (High or Low, and Clear).</summary>
    Threshold,

    /// <summary>The same value N times in a row.</summary>
    StuckSensor,
}
