using System.CommandLine;
using ReactiveIngest.Simulator.Payloads;
using ReactiveIngest.Simulator.Scenarios;

namespace ReactiveIngest.Simulator.Commands;

/// <summary>
/// The options shared by <c>fleet</c> and <c>loadtest</c>. Each overrides the scenario file (or the defaults) only
/// when given on the command line.
/// </summary>
internal sealed class ScenarioOptions
{
    public Option<FileInfo?> File { get; } = new("--scenario", "-s") { Description = "Scenario JSON file; options given here override it." };

    public Option<string?> Name { get; } = new("--name") { Description = "Scenario name in the report." };

    public Option<double?> Duration { get; } = new("--duration") { Description = "Seconds of sending after all connections are up." };

    public Option<bool> StartBroker { get; } = new("--start-broker") { Description = "Start a private Mosquitto (/usr/sbin/mosquitto) on a free loopback port." };

    public Option<string?> Host { get; } = new("--host") { Description = "Broker host." };

    public Option<int?> Port { get; } = new("--port") { Description = "Broker port." };

    public Option<int?> Qos { get; } = new("--qos") { Description = "MQTT QoS 0, 1 or 2." };

    public Option<ReactiveIngest.Simulator.Transport.TransportKind?> Transport { get; } = new("--transport", "-t") { Description = "mqtt, kafka or http." };

    public Option<int?> Devices { get; } = new("--devices", "-n") { Description = "Number of devices." };

    public Option<int?> Connections { get; } = new("--connections", "-k") { Description = "0: one connection per device; K: devices multiplexed over K connections." };

    public Option<double?> ConnectRate { get; } = new("--connect-rate") { Description = "Connections opened per second at most." };

    public Option<int?> Inflight { get; } = new("--inflight") { Description = "Publishes in flight per connection." };

    public Option<double?> Interval { get; } = new("--interval-ms") { Description = "Per-device interval in ms." };

    public Option<double?> RateCap { get; } = new("--rate-cap") { Description = "Cap on the fleet's total rate (msg/s); 0 = none." };

    public Option<int?> RampUp { get; } = new("--ramp-up-ms") { Description = "Spread device starts over this many ms." };

    public Option<ulong?> Seed { get; } = new("--seed") { Description = "Seed of all values and faults." };

    public Option<PayloadFormat?> Format { get; } = new("--format") { Description = "json or lineprotocol." };

    public Option<int?> Shards { get; } = new("--shards") { Description = "Sender loops (0 = 2 × processors)." };

    public Option<string?> Report { get; } = new("--report") { Description = "Write the JSON report here." };

    public Option<string?> GroundTruth { get; } = new("--ground-truth") { Description = "Write the ground truth JSON here." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { File, Name, Duration, StartBroker, Host, Port, Qos, Transport, Devices, Connections, ConnectRate, Inflight, Interval, RateCap, RampUp, Seed, Format, Shards, Report, GroundTruth })
        {
            command.Options.Add(option);
        }
    }

    public Scenario Build(ParseResult result)
    {
        var file = result.GetValue(File);
        var scenario = file is null ? new Scenario() : ScenarioFile.Load(file.FullName);
        scenario.Name = result.GetValue(Name) ?? scenario.Name;
        scenario.DurationSec = result.GetValue(Duration) ?? scenario.DurationSec;
        scenario.StartBroker |= result.GetValue(StartBroker);
        scenario.Transport.Host = result.GetValue(Host) ?? scenario.Transport.Host;
        scenario.Transport.Port = result.GetValue(Port) ?? scenario.Transport.Port;
        scenario.Transport.Qos = result.GetValue(Qos) ?? scenario.Transport.Qos;
        scenario.Transport.Kind = result.GetValue(Transport) ?? scenario.Transport.Kind;
        scenario.Fleet.Devices = result.GetValue(Devices) ?? scenario.Fleet.Devices;
        scenario.Fleet.Connections = result.GetValue(Connections) ?? scenario.Fleet.Connections;
        scenario.Fleet.ConnectRatePerSec = result.GetValue(ConnectRate) ?? scenario.Fleet.ConnectRatePerSec;
        scenario.Fleet.MaxInflightPerConnection = result.GetValue(Inflight) ?? scenario.Fleet.MaxInflightPerConnection;
        scenario.Fleet.Seed = result.GetValue(Seed) ?? scenario.Fleet.Seed;
        scenario.Fleet.Format = result.GetValue(Format) ?? scenario.Fleet.Format;
        scenario.Fleet.Shards = result.GetValue(Shards) ?? scenario.Fleet.Shards;
        scenario.Rate.IntervalMs = result.GetValue(Interval) ?? scenario.Rate.IntervalMs;
        scenario.Rate.TotalRateCap = result.GetValue(RateCap) ?? scenario.Rate.TotalRateCap;
        scenario.Rate.RampUpMs = result.GetValue(RampUp) ?? scenario.Rate.RampUpMs;
        return scenario;
    }
}
