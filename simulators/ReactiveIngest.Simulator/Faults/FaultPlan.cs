using ReactiveIngest.Simulator.Devices;
using ReactiveIngest.Simulator.Payloads;

namespace ReactiveIngest.Simulator.Faults;

/// <summary>
/// Decides every fault as a pure function of (seed, device, reading number or time), so a run is
/// reproducible and the injected ratios match the configured ones statistically.
/// </summary>
public sealed class FaultPlan(FaultOptions options, ulong seed)
{
    private const ulong DeliveryStream = 100;
    private const ulong SpikeStream = 101;
    private const ulong StuckStream = 102;
    private const ulong SkewStream = 103;
    private const ulong SkewAmountStream = 104;
    private const ulong DropoutStream = 105;
    private const ulong MalformedKindStream = 106;
    private const ulong StormStream = 107;

    /// <summary>The options the plan follows.</summary>
    public FaultOptions Options => options;

    /// <summary>The delivery fault of reading number <paramref name="sequence"/> of <paramref name="device"/>.</summary>
    public DeliveryFault Delivery(int device, long sequence)
    {
        var u = DeterministicNoise.Uniform(seed, (ulong)device, DeliveryStream, sequence);
        var edge = options.MalformedRatio;
        if (u < edge)
        {
            return DeliveryFault.Malformed;
        }

        edge += options.DuplicateRatio;
        if (u < edge)
        {
            return DeliveryFault.Duplicate;
        }

        edge += options.OutOfOrderRatio;
        if (u < edge)
        {
            return DeliveryFault.OutOfOrder;
        }

        edge += options.LateRatio;
        return u < edge ? DeliveryFault.Late : DeliveryFault.None;
    }

    /// <summary>How a malformed reading is broken.</summary>
    public MalformedKind MalformedKindOf(int device, long sequence) =>
        (MalformedKind)(int)(DeterministicNoise.Uniform(seed, (ulong)device, MalformedKindStream, sequence) * 4);

    /// <summary>True when reading <paramref name="sequence"/> of <paramref name="device"/> carries a spike.</summary>
    public bool IsSpike(int device, long sequence) =>
        options.SpikeRatio > 0 && DeterministicNoise.Uniform(seed, (ulong)device, SpikeStream, sequence) < options.SpikeRatio;

    /// <summary>
    /// When the device is stuck at <paramref name="timeMs"/>, the start of the stuck block (whose values it repeats);
    /// otherwise null.
    /// </summary>
    public long? StuckSince(int device, long timeMs)
    {
        if (options.StuckRatio <= 0)
        {
            return null;
        }

        var block = Math.DivRem(timeMs, FaultOptions.BlockMs).Quotient;
        return DeterministicNoise.Uniform(seed, (ulong)device, StuckStream, block) < options.StuckRatio ? block * FaultOptions.BlockMs : null;
    }

    /// <summary>The device's constant clock skew in ms (0 for devices with a correct clock).</summary>
    public long ClockSkewMs(int device)
    {
        if (options.ClockSkewRatio <= 0 || DeterministicNoise.Uniform(seed, (ulong)device, SkewStream, 0) >= options.ClockSkewRatio)
        {
            return 0;
        }

        return (long)DeterministicNoise.Between(seed, (ulong)device, SkewAmountStream, 0, -options.MaxClockSkewMs, options.MaxClockSkewMs);
    }

    /// <summary>True when the device has dropped out at <paramref name="timeMs"/>.</summary>
    public bool IsDroppedOut(int device, long timeMs)
    {
        if (options.DropoutRatio <= 0)
        {
            return false;
        }

        var block = Math.DivRem(timeMs, FaultOptions.BlockMs, out var offset);
        return offset < options.DropoutDurationMs &&
               DeterministicNoise.Uniform(seed, (ulong)device, DropoutStream, block) < options.DropoutRatio;
    }

    /// <summary>True when connection <paramref name="connection"/> is dropped in reconnect storm number <paramref name="storm"/>.</summary>
    public bool IsHitByStorm(int connection, long storm) =>
        DeterministicNoise.Uniform(seed, (ulong)connection, StormStream, storm) < options.ReconnectStormFraction;
}
