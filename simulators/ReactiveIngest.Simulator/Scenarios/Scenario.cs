using ReactiveIngest.Simulator.Faults;
using ReactiveIngest.Simulator.Fleet;
using ReactiveIngest.Simulator.Rate;
using ReactiveIngest.Simulator.Transport;

namespace ReactiveIngest.Simulator.Scenarios;

/// <summary>A complete run description, loadable from JSON (camelCase, enums as strings) and overridable by options.</summary>
public sealed class Scenario
{
    /// <summary>The name in reports. Default <c>adhoc</c>.</summary>
    public string Name { get; set; } = "adhoc";

    /// <summary>How long devices send after all connections are up. Default 30 s.</summary>
    public double DurationSec { get; set; } = 30;

    /// <summary>Start a private Mosquitto on a free loopback port instead of using <see cref="TransportOptions.Host"/>:<see cref="TransportOptions.Port"/>.</summary>
    public bool StartBroker { get; set; }

    /// <summary>The fleet.</summary>
    public FleetOptions Fleet { get; set; } = new();

    /// <summary>The schedule.</summary>
    public RateOptions Rate { get; set; } = new();

    /// <summary>The faults.</summary>
    public FaultOptions Faults { get; set; } = new();

    /// <summary>The transport.</summary>
    public TransportOptions Transport { get; set; } = new();

    /// <summary>Every problem, each naming the setting to fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(DurationSec > 0))
        {
            problems.Add($"durationSec must be > 0 (was {DurationSec}).");
        }

        problems.AddRange(Fleet.Validate("fleet"));
        problems.AddRange(Rate.Validate("rate"));
        problems.AddRange(Faults.Validate("faults"));
        problems.AddRange(Transport.Validate("transport"));
        return problems;
    }
}
