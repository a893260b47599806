using ReactiveIngest.Simulator.Devices;
using ReactiveIngest.Simulator.Payloads;

namespace ReactiveIngest.Simulator.Fleet;

/// <summary>The fleet: how many devices, how they connect, what they send.</summary>
public sealed class FleetOptions
{
    /// <summary>Number of simulated devices. Default 1000.</summary>
    public int Devices { get; set; } = 1000;

    /// <summary>MQTT connections: 0 gives each device its own; K &gt; 0 multiplexes the devices over K connections. Default 0.</summary>
    public int Connections { get; set; }

    /// <summary>New connections opened per second at most (initial connects and reconnects; storms bypass it). Default 500.</summary>
    public double ConnectRatePerSec { get; set; } = 500;

    /// <summary>Publishes in flight per connection at most. Default 32.</summary>
    public int MaxInflightPerConnection { get; set; } = 32;

    /// <summary>Sender loops; 0 picks twice the processor count. Default 0.</summary>
    public int Shards { get; set; }

    /// <summary>The seed every value and fault derives from. Default 1.</summary>
    public ulong Seed { get; set; } = 1;

    /// <summary>Number of sites the devices are spread over (topic segment). Default 10.</summary>
    public int Sites { get; set; } = 10;

    /// <summary>Vibration sensors send this many times per interval. Default 10.</summary>
    public int VibrationRateMultiplier { get; set; } = 10;

    /// <summary>The payload encoding. Default JSON.</summary>
    public PayloadFormat Format { get; set; } = PayloadFormat.Json;

    /// <summary>The kinds of device and their weights.</summary>
    public DeviceMix Mix { get; set; } = new();

    /// <summary>Problems, each naming the setting.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (Devices < 1)
        {
            yield return $"{prefix}.devices must be ≥ 1 (was {Devices}).";
        }

        if (Connections < 0)
        {
            yield return $"{prefix}.connections must be ≥ 0 (was {Connections}).";
        }

        if (!(ConnectRatePerSec > 0))
        {
            yield return $"{prefix}.connectRatePerSec must be > 0 (was {ConnectRatePerSec}).";
        }

        if (MaxInflightPerConnection < 1)
        {
            yield return $"{prefix}.maxInflightPerConnection must be ≥ 1 (was {MaxInflightPerConnection}).";
        }

        if (Shards < 0 || Sites < 1 || VibrationRateMultiplier < 1)
        {
            yield return $"{prefix}: shards must be ≥ 0, sites ≥ 1 and vibrationRateMultiplier ≥ 1.";
        }

        foreach (var problem in Mix.Validate($"{prefix}.mix"))
        {
            yield return problem;
        }
    }
}
