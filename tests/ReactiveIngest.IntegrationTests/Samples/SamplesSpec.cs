using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReactiveIngest.TestSupport.Kafka;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.IntegrationTests.Samples;

/// <summary>
/// Every program under samples/ runs for a few seconds against the test servers (Mosquitto, influxd, the Kafka mock
/// cluster), exits 0 and shows what its opening comment promises.
/// </summary>
public sealed partial class SamplesSpec(MosquittoFixture mosquitto, InfluxFixture influx, KafkaMockClusterFixture kafka, ITestOutputHelper output)
    : IClassFixture<MosquittoFixture>, IClassFixture<InfluxFixture>, IClassFixture<KafkaMockClusterFixture>
{
    [Fact]
    public async Task WindowEngineAlone_should_print_window_results_and_exit_0()
    {
        var result = await RunAsync("WindowEngineAlone", 0, "60");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = WindowEngineLine().Matches(result.Output);
        Assert.True(lines.Count >= 3 * 6, $"expected a result per device per 10 s window of 60 s{Environment.NewLine}{result}");
        Assert.Contains("ReadingsLate = 0", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MqttToInflux_should_store_window_points_of_its_demo_messages_in_influxd()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("samples");

        var result = await RunAsync("MqttToInflux", 3,
            mosquitto.Server.Host, mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture), influx.Server.BaseAddress.ToString(), db, "3", "--self-test");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("published 30 demo messages", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("dead letter", result.Output, StringComparison.Ordinal);

        // 30 messages from demo-0..2, each with temperature and humidity: every message is counted in exactly one window point.
        var json = await influx.Server.QueryAsync("SELECT sum(\"count\") FROM telemetry_10s GROUP BY deviceId, metric", db);
        using var doc = JsonDocument.Parse(json);
        var series = doc.RootElement.GetProperty("results")[0].GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(6, series.Count);
        foreach (var s in series)
        {
            Assert.Equal(10, s.GetProperty("values")[0][1].GetInt64());
        }
    }

    [Fact]
    public async Task CustomRxTransform_should_print_smoothed_readings_that_stay_near_each_baseline()
    {
        var result = await RunAsync("CustomRxTransform", 3, "3");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = SmoothedLine().Matches(result.Output);
        Assert.True(lines.Count >= 10, result.ToString());
        foreach (Match line in lines)
        {
            var baseline = line.Groups["device"].Value == "boiler-1" ? 60.0 : 75.0;
            var ewma = double.Parse(line.Groups["ewma"].Value, CultureInfo.InvariantCulture);
            Assert.InRange(ewma, baseline - 2, baseline + 2);
        }

        Assert.Contains($"{lines.Count} smoothed readings emitted", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KafkaToConsole_should_print_windows_holding_every_produced_record()
    {
        const string topic = "samples-telemetry";
        await kafka.CreateTopicAsync(topic, 2);

        var result = await RunAsync("KafkaToConsole", 6, kafka.BootstrapServers, topic, "6", "--produce", "40");

        if (result.ExitCode != 0)
        {
            kafka.WriteLogTo(output);
        }

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("produced 40 demo records", result.Output, StringComparison.Ordinal);
        var windows = KafkaWindowLine().Matches(result.Output);
        Assert.NotEmpty(windows);

        // Each record lands in exactly one final 10 s window: the final windows' counts add up to the records produced.
        var counted = windows.Where(m => m.Groups["kind"].Value == "Final").Sum(m => int.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture));
        Assert.True(counted == 40, $"final windows counted {counted} records{Environment.NewLine}{result}");
    }

    private async Task<SampleProgram.Result> RunAsync(string name, int seconds, params string[] args)
    {
        var result = await SampleProgram.RunAsync(name, seconds, args);
        output.WriteLine($"{name} {string.Join(' ', args)}: {result}");
        return result;
    }

    [GeneratedRegex(@"^\d\d:\d\d:\d\d-\d\d:\d\d:\d\d dev-\w\s+temperature Final", RegexOptions.Multiline)]
    private static partial Regex WindowEngineLine();

    [GeneratedRegex(@"^smoothed (?<device>boiler-\d)/temperature value=\S+ ewma=(?<ewma>\S+)$", RegexOptions.Multiline)]
    private static partial Regex SmoothedLine();

    [GeneratedRegex(@"^window \S+ pump-\d/pressure (?<kind>\w+) count=(?<count>\d+)", RegexOptions.Multiline)]
    private static partial Regex KafkaWindowLine();
}
