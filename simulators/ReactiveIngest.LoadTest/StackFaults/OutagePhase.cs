namespace ReactiveIngest.Simulator.StackFaults;

/// <summary>Where a run is relative to an InfluxDB outage.</summary>
public enum OutagePhase
{
    /// <summary>Sending, before influxd was stopped.</summary>
    Before,

    /// <summary>influxd is down.</summary>
    During,

    /// <summary>influxd is back.</summary>
    After,
}
