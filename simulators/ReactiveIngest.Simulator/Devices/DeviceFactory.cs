namespace ReactiveIngest.Simulator.Devices;

/// <summary>Creates the identity and model of every device of a fleet from the seed.</summary>
public sealed class DeviceFactory(ulong seed, DeviceMix mix, int sites, int vibrationRateMultiplier)
{
    /// <summary>The identity of device <paramref name="index"/>: id <c>dev-000042</c>, site <c>site-7</c>, kind by the mix.</summary>
    public DeviceIdentity Identity(int index)
    {
        var kind = mix.Pick(DeterministicNoise.Uniform(seed, (ulong)index, NoiseStream.Kind, 0));
        return new DeviceIdentity(index, $"dev-{index:D6}", $"site-{index % Math.Max(1, sites)}", kind);
    }

    /// <summary>The model generating the values of <paramref name="identity"/>.</summary>
    public IDeviceModel Model(DeviceIdentity identity) => identity.Kind switch
    {
        DeviceKind.Environmental => new EnvironmentalSensorModel(seed, identity.Index),
        DeviceKind.Vibration => new VibrationSensorModel(seed, identity.Index, vibrationRateMultiplier),
        DeviceKind.PowerMeter => new PowerMeterModel(seed, identity.Index),
        DeviceKind.GpsTracker => new GpsTrackerModel(seed, identity.Index),
        DeviceKind.Battery => new BatteryModel(seed, identity.Index),
        _ => throw new ArgumentOutOfRangeException(nameof(identity), identity.Kind, "Unknown device kind."),
    };
}
