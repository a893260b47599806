using System.Globalization;
using System.Text.Json;
using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Reports;
using ReactiveIngest.Simulator.Scenarios;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// <c>loadtest</c>: starts (or connects to) the stack, runs the scenario through the service into InfluxDB, verifies
/// against the ground truth, optionally measures the ceiling, prints a table and writes the JSON report. Exit code 1
/// when any point was lost or any aggregate differs.
/// </summary>
public static class FullStackLoadTest
{
    /// <summary>Runs the load test; returns the report and the exit code.</summary>
    public static async Task<(LoadTestReport Report, int ExitCode)> RunAsync(
        Scenario scenario, StackOptions stackOptions, CeilingOptions? ceiling, string? reportPath, string? groundTruthPath, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(output);
        var problems = scenario.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid scenario:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)), nameof(scenario));
        }

        var stackProblems = stackOptions.Validate();
        if (stackProblems.Count > 0)
        {
            throw new ArgumentException("Invalid load-test options:" + Environment.NewLine + string.Join(Environment.NewLine, stackProblems.Select(p => "  " + p)), nameof(stackOptions));
        }

        await using var stack = await LoadTestStack.StartAsync(scenario, stackOptions, output, cancellationToken);
        var result = await StackRun.RunAsync(stack, scenario, stackOptions, output, cancellationToken);
        CeilingReport? ceilingReport = null;
        if (ceiling is not null)
        {
            ceilingReport = await CeilingSearch.RunAsync(stack, scenario, stackOptions, ceiling, output, cancellationToken);
        }

        var fleet = result.Fleet;
        var verdict = result.Verdict;
        var report = new LoadTestReport
        {
            Scenario = scenario.Name,
            DurationSec = fleet.SendSeconds > 0 ? Math.Round(fleet.SendSeconds, 2) : scenario.DurationSec,
            Devices = fleet.Devices,
            TargetRate = Math.Round(fleet.TargetRatePerSec, 1),
            Sent = fleet.Stats.Attempted,
            AcceptedByBroker = fleet.Stats.Accepted,
            RawPointsInInflux = result.RawPointsInInflux,
            Lost = verdict.Lost,
            Duplicates = verdict.Duplicates,
            AggregatesChecked = verdict.AggregatesChecked,
            AggregateMismatches = verdict.AggregateMismatches,
            DeadLetters = result.DeadLetters,
            ThroughputPerSec = Math.Round(fleet.Stats.Accepted / Math.Max(fleet.SendSeconds, 1e-9), 1),
            LatencyMs = fleet.Latency,
            ServiceCpuSeconds = result.ServiceCpuSeconds is { } cpu ? Math.Round(cpu, 2) : null,
            ServicePeakRssMb = result.ServicePeakRssMb is { } rss ? Math.Round(rss, 1) : null,
            VerifiedAgainst = "influxdb",
            Qos = scenario.Transport.Qos,
            Connections = fleet.Connections,
            MissedSlots = fleet.MissedSlots,
            FailedPublishes = fleet.Stats.Failed,
            Injections = fleet.GroundTruth.InjectionCounts,
            Transport = scenario.Transport.Kind.ToString().ToLowerInvariant(),
            ExpectedRawPoints = verdict.ExpectedPoints,
            ServiceReceived = result.ServiceReceived,
            Ceiling = ceilingReport,
            ServiceSettings = stackOptions.ServiceSettingsSummary(scenario.Transport.Kind),
            Window = stackOptions.WindowName,
            Drain = JsonNamingPolicy.CamelCase.ConvertName(result.Drain.ToString()),
            LateReadings = result.LateReadings,
            MismatchExamples = verdict.MismatchExamples,
            Crash = result.Crash,
            Outage = result.Outage,
        };

        await output.WriteAsync(ReportPrinter.Table(report));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"connect phase {fleet.ConnectSeconds:0.0} s, send phase {fleet.SendSeconds:0.0} s, database {result.Database}"));
        if (reportPath is not null)
        {
            await ReportPrinter.WriteJsonAsync(report, reportPath, cancellationToken);
            await output.WriteLineAsync($"report: {reportPath}");
        }

        if (groundTruthPath is not null)
        {
            await GroundTruthFile.WriteAsync(fleet.GroundTruth, groundTruthPath, cancellationToken);
            await output.WriteLineAsync($"ground truth: {groundTruthPath}");
        }

        return (report, result.Lossless ? 0 : 1);
    }
}
