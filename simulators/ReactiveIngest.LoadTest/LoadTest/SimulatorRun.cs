using System.Globalization;
using ReactiveIngest.Simulator.Fleet;
using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Payloads;
using ReactiveIngest.Simulator.Reports;
using ReactiveIngest.Simulator.Scenarios;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.Simulator.Transport;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// Runs a scenario: optionally starts a private Mosquitto, optionally subscribes a verifier, runs the fleet with a
/// progress line, then writes the report and the ground truth. This is the precursor of the full-stack load test:
/// it checks delivery through the broker only — the service and InfluxDB are not involved yet.
/// </summary>
public static class SimulatorRun
{
    /// <summary>Runs <paramref name="scenario"/>; returns the report and the exit code (1 when anything was lost or mismatched).</summary>
    public static async Task<(LoadTestReport Report, int ExitCode)> RunAsync(
        Scenario scenario, bool verify, string? reportPath, string? groundTruthPath, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(output);
        var problems = scenario.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid scenario:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)), nameof(scenario));
        }

        await using var broker = scenario.StartBroker ? new MosquittoServer(MosquittoServer.LoadTestConfiguration) : null;
        if (broker is not null)
        {
            await broker.StartAsync(cancellationToken);
        }

        if (broker is not null)
        {
            scenario.Transport.Host = "127.0.0.1";
            scenario.Transport.Port = broker.Port;
            await output.WriteLineAsync($"started mosquitto on 127.0.0.1:{broker.Port}");
        }

        await using var subscriber = verify
            ? new DeliverySubscriber(scenario.Transport.Host, scenario.Transport.Port, scenario.Transport.Qos, scenario.Fleet.Format == PayloadFormat.LineProtocol)
            : null;
        if (subscriber is not null)
        {
            await subscriber.StartAsync(cancellationToken);
        }

        var transport = TransportFactory.Create(scenario.Transport, scenario.Fleet.Format);
        var runner = new FleetRunner(scenario.Fleet, scenario.Rate, scenario.Faults, transport);
        using var progress = new Timer(_ => WriteProgress(runner, subscriber), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var result = await runner.RunAsync(TimeSpan.FromSeconds(scenario.DurationSec), cancellationToken);
        await progress.DisposeAsync();
        if (transport is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        DeliveryVerdict? verdict = null;
        if (subscriber is not null)
        {
            await subscriber.WaitForAsync(result.GroundTruth.Published, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(3), cancellationToken);
            verdict = subscriber.Verify(result.GroundTruth);
        }

        Console.Error.WriteLine();
        var report = new LoadTestReport
        {
            Scenario = scenario.Name,
            DurationSec = scenario.DurationSec,
            Devices = result.Devices,
            TargetRate = Math.Round(result.TargetRatePerSec, 1),
            Sent = result.Stats.Attempted,
            AcceptedByBroker = result.Stats.Accepted,
            Lost = verdict?.Lost,
            Duplicates = verdict?.Duplicates,
            AggregatesChecked = verdict is { Incomplete: false } ? verdict.AggregatesChecked : null,
            AggregateMismatches = verdict is { Incomplete: false } ? verdict.AggregateMismatches : null,
            ThroughputPerSec = Math.Round(result.Stats.Accepted / Math.Max(result.SendSeconds, 1e-9), 1),
            LatencyMs = result.Latency,
            VerifiedAgainst = verdict is null ? "none" : "mqtt-subscriber",
            Qos = scenario.Transport.Qos,
            Connections = result.Connections,
            MissedSlots = result.MissedSlots,
            SubscriberReceived = verdict?.Received,
            FailedPublishes = result.Stats.Failed,
            Injections = result.GroundTruth.InjectionCounts,
        };

        await output.WriteAsync(ReportPrinter.Table(report));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"connect phase {result.ConnectSeconds:0.0} s, send phase {result.SendSeconds:0.0} s, slots {result.SlotsTaken}, connects {result.Stats.Connects}, connect failures {result.Stats.ConnectFailures}"));
        if (reportPath is not null)
        {
            await ReportPrinter.WriteJsonAsync(report, reportPath, cancellationToken);
            await output.WriteLineAsync($"report: {reportPath}");
        }

        if (groundTruthPath is not null)
        {
            await GroundTruthFile.WriteAsync(result.GroundTruth, groundTruthPath, cancellationToken);
            await output.WriteLineAsync($"ground truth: {groundTruthPath}");
        }

        var failed = verdict is not null && (verdict.Lost > 0 || verdict.AggregateMismatches > 0);
        return (report, failed ? 1 : 0);
    }

    private static void WriteProgress(FleetRunner runner, DeliverySubscriber? subscriber)
    {
        var stats = runner.Stats;
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"\rconnects {stats.Connects,7} | sent {stats.Attempted,10} | accepted {stats.Accepted,10} | failed {stats.Failed,6} | target {runner.TargetRatePerSec,8:0}/s{(subscriber is null ? string.Empty : $" | received {subscriber.Total,10}")}   ");
        Console.Error.Write(line);
    }
}
