namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>How the wait for the pipeline to drain ended.</summary>
public enum DrainOutcome
{
    /// <summary>InfluxDB held every expected raw point and window.</summary>
    Complete,

    /// <summary>Stored counts stopped changing for <see cref="StackOptions.DrainQuiet"/> short of the expected ones: the pipeline stalled or lost data.</summary>
    Stalled,

    /// <summary><see cref="StackOptions.DrainTimeout"/> passed while counts were still changing.</summary>
    TimedOut,
}
