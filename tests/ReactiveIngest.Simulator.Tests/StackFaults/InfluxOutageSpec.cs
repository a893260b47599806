using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Simulator.Tests.StackFaults;

/// <summary>
/// influxd stopped for 10 s under MQTT QoS 1 load, then started again on the same data directory and port: the
/// service holds what it could not write (the journal keeps taking and acknowledging messages) and afterwards
/// InfluxDB must hold every reading and every window right. The service's resident memory is sampled throughout.
/// The load test's idle timeout is 3 s and the allowed lateness here 2 s, so the outage outlasts both: a watermark
/// that counted the stalled input as idle (and ran the wall-clock fallback) would finalize windows whose readings
/// still wait in the journal, and those readings would arrive late.
/// </summary>
[Collection(StackFaultCollection.Name)]
public sealed class InfluxOutageSpec(ITestOutputHelper output)
{
    [Fact]
    public async Task A_ten_second_influx_outage_under_load_should_lose_nothing_and_report_the_service_memory_around_it()
    {
        var report = await StackFaultRun.RunAsync("mqtt", 20, o =>
        {
            o.InfluxOutage = TimeSpan.FromSeconds(10);
            o.ServiceSettings["ReactiveIngest:Pipeline:AllowedLateness"] = "2s";
        }, output);

        Assert.True(report.AcceptedByBroker > 0, "the fleet sent nothing");
        var outage = Assert.IsType<ReactiveIngest.Simulator.Reports.OutageReport>(report.Outage);
        Assert.InRange(outage.Seconds, 10, 30);
        Assert.True(outage.RssBeforeMb > 0, "no memory sample before the outage");
        Assert.True(outage.RssDuringMb > 0, "no memory sample during the outage");
        Assert.NotNull(outage.RssRatio);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.AggregateMismatches);
        Assert.Equal(0, report.LateReadings);
        Assert.True(report.AggregatesChecked > 0, "no aggregate was compared");
        Assert.Equal(report.ExpectedRawPoints, report.RawPointsInInflux);
    }
}
