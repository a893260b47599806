namespace ReactiveIngest.Simulator.Devices;

/// <summary>
/// Stream numbers that keep the noise sources of models, parameters and faults independent of each other.
/// </summary>
internal static class NoiseStream
{
    public const ulong Kind = 1;
    public const ulong Parameter = 2;
    public const ulong Temperature = 10;
    public const ulong Humidity = 11;
    public const ulong Drift = 12;
    public const ulong Pressure = 13;
    public const ulong Vibration = 20;
    public const ulong Burst = 21;
    public const ulong Crest = 22;
    public const ulong Power = 30;
    public const ulong Battery = 40;
    public const ulong Voltage = 41;
}
