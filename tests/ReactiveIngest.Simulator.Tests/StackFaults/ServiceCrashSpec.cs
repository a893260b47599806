using ReactiveIngest.Simulator.Reports;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Simulator.Tests.StackFaults;

/// <summary>
/// Issue 16, the strict crash test: the service is killed with SIGKILL under load and restarted with the same
/// configuration, directory and client ids; afterwards InfluxDB must hold every accepted reading (MQTT: accepted by
/// the broker at QoS 1; HTTP: answered 2xx; Kafka: acknowledged by the cluster) and every 10 s window must equal the
/// ground truth — a replay must never overwrite a final window with a partial one. This needs the durable journal
/// and crash-consistent windows of issue 16; before those land it reports the mismatches (and, over HTTP, the lost
/// readings) it finds.
/// </summary>
[Collection(StackFaultCollection.Name)]
public sealed class ServiceCrashSpec(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_kills_under_mqtt_qos1_load_should_lose_no_reading_and_leave_every_window_right()
    {
        var report = await StackFaultRun.RunAsync("mqtt", 25, o => o.KillService = 3, output);

        AssertSurvived(report, kills: 3);
    }

    [Fact]
    public async Task A_kill_under_http_load_should_lose_no_reading_answered_2xx_and_leave_every_window_right()
    {
        var report = await StackFaultRun.RunAsync("http", 25, o => o.KillService = 1, output);

        AssertSurvived(report, kills: 1);
    }

    [Fact]
    public async Task Two_kills_under_kafka_load_should_lose_no_reading_and_leave_every_window_right()
    {
        var report = await StackFaultRun.RunAsync("kafka", 25, o => o.KillService = 2, output);

        AssertSurvived(report, kills: 2);
    }

    private static void AssertSurvived(LoadTestReport report, int kills)
    {
        Assert.True(report.AcceptedByBroker > 0, "the fleet sent nothing");
        Assert.NotNull(report.Crash);
        Assert.Equal(kills, report.Crash.Restarts);
        Assert.Equal(0, report.Lost);
        Assert.True(report.AggregatesChecked > 0, "no aggregate was compared");
        Assert.True(report.AggregateMismatches == 0, $"{report.AggregateMismatches} windows differ, first: {string.Join(" | ", report.MismatchExamples.Take(3))}");
        Assert.Equal(report.ExpectedRawPoints, report.RawPointsInInflux);
        Assert.Equal("complete", report.Drain);
    }
}
