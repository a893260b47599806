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

    [Fact]
    public async Task Consecutive_runs_on_one_broker_with_shared_service_connections_should_each_lose_nothing()
    {
        // Each run's service has new client ids; the previous run's sessions stay in their shared-subscription group
        // until they expire, and the broker keeps handing them a share. One group name for both runs lost about half
        // of the second run's messages.
        var scenario = ScenarioFile.Parse("""
            {
              "name": "test-consecutive",
              "durationSec": 3,
              "fleet": { "devices": 100, "connections": 2, "seed": 5 },
              "rate": { "intervalMs": 200 },
              "transport": { "kind": "mqtt", "qos": 1 }
            }
            """);
        var options = new StackOptions { ServiceDll = ServiceDll };
        options.ServiceSettings["ReactiveIngest:Sources:Mqtt:0:ConnectionCount"] = "2";
        options.ServiceSettings["ReactiveIngest:Sources:Mqtt:0:SharedSubscriptionGroup"] = "spec";
        var text = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await using var stack = await LoadTestStack.StartAsync(scenario, options, text, timeout.Token);

        var first = await StackRun.RunAsync(stack, scenario, options, text, timeout.Token);
        var second = await StackRun.RunAsync(stack, scenario, options, text, timeout.Token);
        output.WriteLine(text.ToString());

        foreach (var run in new[] { first, second })
        {
            Assert.True(run.Fleet.Stats.Accepted > 0, "the fleet sent nothing");
            Assert.Equal(0, run.Verdict.Lost);
            Assert.Equal(run.Verdict.ExpectedPoints, run.RawPointsInInflux);
        }
    }
}
