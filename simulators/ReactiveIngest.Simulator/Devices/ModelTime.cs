namespace ReactiveIngest.Simulator.Devices;

/// <summary>Time constants shared by the device models.</summary>
internal static class ModelTime
{
    /// <summary>Milliseconds in an hour.</summary>
    public const long HourMs = 3_600_000L;

    /// <summary>Milliseconds in a day.</summary>
    public const long DayMs = 86_400_000L;

    /// <summary>
    /// 2020-01-01T00:00:00Z in epoch ms: models that integrate over time (energy, distance) count from here so
    /// their numbers stay small and precise.
    /// </summary>
    public const long ReferenceMs = 1_577_836_800_000L;
}
