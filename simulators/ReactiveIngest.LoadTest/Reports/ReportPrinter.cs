using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ReactiveIngest.Simulator.Reports;

/// <summary>Writes reports as JSON and as a table.</summary>
public static class ReportPrinter
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/>.</summary>
    public static async Task WriteJsonAsync(LoadTestReport report, string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, report, ReportJson.Options, cancellationToken);
    }

    /// <summary>A two-column table of the report; unmeasured fields show "n/a".</summary>
    public static string Table(LoadTestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        var rows = new (string, string)[]
        {
            ("scenario", report.Scenario),
            ("verified against / transport", $"{report.VerifiedAgainst} / {report.Transport}"),
            ("devices / connections / qos", $"{report.Devices} / {report.Connections} / {report.Qos}"),
            ("duration s", report.DurationSec.ToString("0.##", inv)),
            ("target rate msg/s", report.TargetRate.ToString("0", inv)),
            ("sent", report.Sent.ToString(inv)),
            ("accepted by broker", report.AcceptedByBroker.ToString(inv)),
            ("failed publishes", report.FailedPublishes.ToString(inv)),
            ("missed slots", report.MissedSlots.ToString(inv)),
            ("throughput msg/s", report.ThroughputPerSec.ToString("0", inv)),
            ("latency ms p50/p90/p99/p99.9/max", report.LatencyMs is { } l ? string.Create(inv, $"{l.P50:0.###} / {l.P90:0.###} / {l.P99:0.###} / {l.P999:0.###} / {l.Max:0.###}") : "n/a"),
            ("subscriber received", Show(report.SubscriberReceived)),
            ("lost", Show(report.Lost)),
            ("duplicates", Show(report.Duplicates)),
            ("aggregates checked / mismatches", $"{Show(report.AggregatesChecked)} / {Show(report.AggregateMismatches)}"),
            ("raw points in InfluxDB / expected", $"{Show(report.RawPointsInInflux)} / {Show(report.ExpectedRawPoints)}"),
            ("service received readings", Show(report.ServiceReceived)),
            ("dead letters", Show(report.DeadLetters)),
            ("service CPU s / peak RSS MB", $"{Show(report.ServiceCpuSeconds)} / {Show(report.ServicePeakRssMb)}"),
            ("ceiling mosquitto_sub / stack msg/s", report.Ceiling is { } c ? string.Create(inv, $"{c.MosquittoSubCeiling:0} / {c.StackCeiling:0} (ratio {c.Ratio:0.###})") : "n/a"),
            ("highest lossless achieved sub / stack", report.Ceiling is { } a ? string.Create(inv, $"{a.MosquittoSubLosslessRate:0} / {a.StackLosslessRate:0} (ratio {a.AchievedRatio:0.###})") : "n/a"),
            ("ceiling broker limits", report.Ceiling?.BrokerLimits ?? "n/a"),
            ("ceiling service settings", report.Ceiling?.ServiceSettings ?? "n/a"),
            ("injections", report.Injections.Count == 0 ? "none" : string.Join(", ", report.Injections.Select(p => $"{p.Key}={p.Value}"))),
            ("service settings", report.ServiceSettings),
            ("verified window / drain", $"{report.Window} / {report.Drain ?? "n/a"}"),
            ("late readings (service)", Show(report.LateReadings)),
            ("service kills / restarts", report.Crash is { } k ? Crash(k) : "none"),
            ("influx outage", report.Outage is { } o ? Outage(o) : "none"),
        };
        var width = rows.Max(r => r.Item1.Length);
        var text = new StringBuilder();
        foreach (var (name, value) in rows)
        {
            text.Append(name.PadRight(width)).Append(" | ").AppendLine(value);
        }

        return text.ToString();
    }

    private static string Crash(CrashReport crash) => string.Create(
        CultureInfo.InvariantCulture,
        $"{crash.KillsPlanned} / {crash.Restarts} (seed {crash.Seed}; killed at {string.Join(", ", crash.KilledAtSec.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture)))} s; down {string.Join(", ", crash.DownSec.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture)))} s)");

    private static string Outage(OutageReport outage) => string.Create(
        CultureInfo.InvariantCulture,
        $"{outage.Seconds:0.#} s from {outage.StartedAtSec:0.#} s; service RSS MB before {Show(outage.RssBeforeMb)} / during {Show(outage.RssDuringMb)} / peak after {Show(outage.RssPeakAfterMb)} / at drain end {Show(outage.RssAfterMb)} (during/before {Show(outage.RssRatio)})");

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "n/a";

    private static string Show(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "n/a";
}
