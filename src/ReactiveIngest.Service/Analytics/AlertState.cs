namespace ReactiveIngest.Service.Analytics;

/// <summary>Whether an alert event raises or clears the alarm of a rule for a device.</summary>
public enum AlertState
{
    /// <summary>The condition began.</summary>
    Raised,

    /// <summary>The condition ended.</summary>
    Cleared,
}
