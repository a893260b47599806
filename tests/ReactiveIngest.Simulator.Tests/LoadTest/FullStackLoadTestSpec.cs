using System.Reflection;
using ReactiveIngest.Simulator.LoadTest;
using ReactiveIngest.Simulator.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Simulator.Tests.LoadTest;

/// <summary>
/// The short full-stack scenario: mosquitto, influxd and the service (a child process) started by the load test itself,
/// a small fleet with out-of-order, malformed and duplicated payloads for a few seconds, verified against InfluxDB.
/// The service's de-duplication stage keeps an injected duplicate out of the window aggregates (raw points are
/// idempotent anyway), so every aggregate must match the ground truth.
/// </summary>
public sealed class FullStackLoadTestSpec(ITestOutputHelper output)
{
    private static string ServiceDll =>
        typeof(FullStackLoadTestSpec).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ServiceDll").Value!;

    [Fact]
    public async Task A_short_mqtt_scenario_through_the_whole_stack_should_lose_nothing_and_match_every_aggregate()
    {
        var scenario = ScenarioFile.Parse("""
            {
              "name": "test-short",
              "durationSec": 5,
              "fleet": { "devices": 200, "connections": 4, "seed": 11 },
              "rate": { "intervalMs": 250, "rampUpMs": 500 },
              "faults": { "malformedRatio": 0.01, "duplicateRatio": 0.02, "outOfOrderRatio": 0.02 },
              "transport": { "kind": "mqtt", "qos": 1 }
            }
            """);
        var text = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

        var (report, exitCode) = await FullStackLoadTest.RunAsync(
            scenario, new StackOptions { ServiceDll = ServiceDll }, null, null, null, text, timeout.Token);
        output.WriteLine(text.ToString());

        Assert.True(report.AcceptedByBroker > 0, "the fleet sent nothing");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.AggregateMismatches);
        Assert.True(report.AggregatesChecked > 0, "no aggregate was compared");
        Assert.Equal(report.ExpectedRawPoints, report.RawPointsInInflux);
        Assert.True(report.Injections.GetValueOrDefault("Duplicate") > 0, "no duplicate was injected");
        Assert.True(report.DeadLetters >= report.Injections.GetValueOrDefault("Malformed"), $"dead letters {report.DeadLetters} < malformed payloads sent");
        Assert.NotNull(report.ServiceCpuSeconds);
        Assert.NotNull(report.ServicePeakRssMb);
        Assert.Equal(0, exitCode);
    }
}
