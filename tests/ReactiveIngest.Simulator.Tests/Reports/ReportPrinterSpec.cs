using System.Text.Json;
using ReactiveIngest.Simulator.Reports;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.Reports;

public sealed class ReportPrinterSpec
{
    private static LoadTestReport Report(CrashReport? crash, OutageReport? outage) => new()
    {
        Scenario = "crash",
        DurationSec = 30,
        Devices = 200,
        TargetRate = 800,
        Sent = 24_000,
        AcceptedByBroker = 24_000,
        Lost = 0,
        AggregatesChecked = 2_000,
        AggregateMismatches = 12,
        ThroughputPerSec = 800,
        VerifiedAgainst = "influxdb",
        Qos = 1,
        Connections = 4,
        MissedSlots = 0,
        FailedPublishes = 0,
        Injections = new Dictionary<string, long>(),
        ServiceSettings = "default service settings",
        Window = "1h",
        Drain = "stalled",
        LateReadings = 7,
        MismatchExamples = ["aggregate differs: d1/t @ 1970-01-01T00:00:10.000Z: expected count 3 sum 61 min 19.5 max 21, stored count 1 sum 19.5 min 19.5 max 19.5"],
        Crash = crash,
        Outage = outage,
    };

    [Fact]
    public void The_table_should_show_kills_restarts_late_readings_settings_window_and_drain()
    {
        var table = ReportPrinter.Table(Report(new CrashReport(3, 2, 5, [4.5, 12.25], [3.1, 4]), null));

        Assert.Contains("service kills / restarts", table, StringComparison.Ordinal);
        Assert.Contains("3 / 2 (seed 5; killed at 4.5, 12.3 s; down 3.1, 4.0 s)", table, StringComparison.Ordinal);
        Assert.Contains("late readings (service)               | 7", table, StringComparison.Ordinal);
        Assert.Contains("| default service settings", table, StringComparison.Ordinal);
        Assert.Contains("| 1h / stalled", table, StringComparison.Ordinal);
        Assert.Contains("aggregates checked / mismatches       | 2000 / 12", table, StringComparison.Ordinal);
        Assert.Contains("influx outage                         | none", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_should_show_the_outage_with_the_service_memory_before_during_and_after()
    {
        var table = ReportPrinter.Table(Report(null, new OutageReport(60, 7.5, 140, 210.5, 230, 150, 1.5)));

        Assert.Contains(
            "60 s from 7.5 s; service RSS MB before 140 / during 210.5 / peak after 230 / at drain end 150 (during/before 1.5)",
            table,
            StringComparison.Ordinal);
        Assert.Contains("service kills / restarts              | none", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_json_report_should_carry_the_crash_outage_and_mismatch_examples()
    {
        var json = JsonSerializer.Serialize(Report(new CrashReport(1, 1, 1, [9], [2]), new OutageReport(10, 5, 100, 120, 130, 110, 1.2)), ReportJson.Options);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(1, root.GetProperty("crash").GetProperty("restarts").GetInt32());
        Assert.Equal(1.2, root.GetProperty("outage").GetProperty("rssRatio").GetDouble());
        Assert.Equal(1, root.GetProperty("mismatchExamples").GetArrayLength());
        Assert.Equal("default service settings", root.GetProperty("serviceSettings").GetString());
    }
}
