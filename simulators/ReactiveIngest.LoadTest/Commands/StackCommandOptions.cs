using System.CommandLine;
using ReactiveIngest.Simulator.LoadTest;

namespace ReactiveIngest.Simulator.Commands;

/// <summary>The options only <c>loadtest</c> has: where the servers come from, and the ceiling search.</summary>
internal sealed class StackCommandOptions
{
    public Option<string?> ServiceDll { get; } = new("--service-dll") { Description = "ReactiveIngest.Service.dll to run as a child process (default: the repository's build output)." };

    public Option<string?> KafkaClusterDll { get; } = new("--kafka-cluster-dll") { Description = "ReactiveIngest.KafkaMockCluster.dll to start (default: the repository's build output)." };

    public Option<string?> KafkaBootstrap { get; } = new("--kafka-bootstrap") { Description = "Use this Kafka instead of starting the mock cluster." };

    public Option<string?> InfluxUrl { get; } = new("--influx-url") { Description = "Use this InfluxDB 1.x instead of starting influxd (a fresh database is created)." };

    public Option<bool> ExternalBroker { get; } = new("--external-broker") { Description = "Use the broker at --host/--port instead of starting Mosquitto." };

    public Option<bool> BrokerDefaults { get; } = new("--broker-defaults") { Description = "Start Mosquitto with its default per-client limits (1000 queued, 20 in flight) instead of raised queue limits." };

    public Option<string[]> ServiceSettings { get; } = new("--service-setting") { Description = "Extra service configuration key=value (e.g. ReactiveIngest:Sources:Mqtt:0:MaxInFlight=5000); repeatable. A SharedSubscriptionGroup gets a per-run suffix, so runs on one broker never share a group.", AllowMultipleArgumentsPerToken = false };

    public Option<double?> DrainTimeout { get; } = new("--drain-timeout") { Description = "Seconds to wait for the pipeline to drain (default 120)." };

    public Option<string?> ServiceLog { get; } = new("--service-log") { Description = "Directory to write each run's service log and final /metrics to (service-<database>.log)." };

    public Option<bool> ServiceDefaults { get; } = new("--service-defaults") { Description = "Run the service on its own defaults (no raised MQTT MaxInFlight 65535, IdleTimeout 3 s, FlushInterval 200 ms); the report lists every setting overridden." };

    public Option<TimeSpan?> WindowSize { get; } = new("--window-size") { Description = "Size of the service window whose aggregates are verified (hh:mm:ss, a multiple of 10 s; default 00:00:10). Longer windows are checked once they have ended." };

    public Option<int?> KillService { get; } = new("--kill-service") { Description = "Kill the service (SIGKILL) N times at seeded random moments under load, restarting it each time with the same configuration, port, directory and client ids." };

    public Option<ulong?> FaultSeed { get; } = new("--fault-seed") { Description = "Seed of the kill moments (default 1)." };

    public Option<double?> InfluxOutage { get; } = new("--influx-outage") { Description = "Stop influxd for this many seconds a quarter into the send phase, then start it on the same data directory and port; reports the service's RSS before, during and after." };

    public Option<bool> FindCeiling { get; } = new("--find-ceiling") { Description = "Also measure the QoS 1 ceiling: mosquitto_sub alone vs the whole stack, and their ratio." };

    public Option<double?> CeilingStart { get; } = new("--ceiling-start") { Description = "First rate of the ceiling search (msg/s, default 2000)." };

    public Option<double?> CeilingMax { get; } = new("--ceiling-max") { Description = "Highest rate of the ceiling search (msg/s, default 64000)." };

    public Option<double?> CeilingStepSec { get; } = new("--ceiling-step-sec") { Description = "Send seconds per ceiling step (default 10)." };

    public Option<int?> CeilingRefine { get; } = new("--ceiling-refine") { Description = "Bisection steps after the first failing rate (default 3)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { ServiceDll, KafkaClusterDll, KafkaBootstrap, InfluxUrl, ExternalBroker, BrokerDefaults, ServiceSettings, ServiceDefaults, WindowSize, KillService, FaultSeed, InfluxOutage, DrainTimeout, ServiceLog, FindCeiling, CeilingStart, CeilingMax, CeilingStepSec, CeilingRefine })
        {
            command.Options.Add(option);
        }
    }

    public StackOptions Stack(ParseResult result)
    {
        var options = new StackOptions
        {
            ServiceDll = result.GetValue(ServiceDll),
            KafkaClusterDll = result.GetValue(KafkaClusterDll),
            KafkaBootstrap = result.GetValue(KafkaBootstrap),
            InfluxUrl = result.GetValue(InfluxUrl) is { } url ? new Uri(url.EndsWith('/') ? url : url + "/") : null,
            ExternalBroker = result.GetValue(ExternalBroker),
            BrokerDefaults = result.GetValue(BrokerDefaults),
            ServiceLogDirectory = result.GetValue(ServiceLog),
            ServiceDefaults = result.GetValue(ServiceDefaults),
            KillService = result.GetValue(KillService) ?? 0,
            InfluxOutage = result.GetValue(InfluxOutage) is { } outage ? TimeSpan.FromSeconds(outage) : null,
        };
        options.WindowSize = result.GetValue(WindowSize) ?? options.WindowSize;
        options.FaultSeed = result.GetValue(FaultSeed) ?? options.FaultSeed;
        if (result.GetValue(DrainTimeout) is { } drain)
        {
            options.DrainTimeout = TimeSpan.FromSeconds(drain);
        }

        foreach (var setting in result.GetValue(ServiceSettings) ?? [])
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"--service-setting '{setting}' is not key=value.");
            }

            options.ServiceSettings[setting[..eq]] = setting[(eq + 1)..];
        }

        return options;
    }

    public CeilingOptions? Ceiling(ParseResult result)
    {
        if (!result.GetValue(FindCeiling))
        {
            return null;
        }

        var ceiling = new CeilingOptions();
        ceiling.StartRate = result.GetValue(CeilingStart) ?? ceiling.StartRate;
        ceiling.MaxRate = result.GetValue(CeilingMax) ?? ceiling.MaxRate;
        ceiling.StepSec = result.GetValue(CeilingStepSec) ?? ceiling.StepSec;
        ceiling.Refine = result.GetValue(CeilingRefine) ?? ceiling.Refine;
        return ceiling;
    }
}
