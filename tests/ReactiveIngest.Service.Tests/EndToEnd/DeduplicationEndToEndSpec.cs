using ReactiveIngest.TestSupport.Journal;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.EndToEnd;

/// <summary>
/// The service in-process against the real Mosquitto and influxd: every MQTT message is published twice (a device
/// retry) and every 10 s of data is published again afterwards (a redelivery burst). Raw points and window aggregates
/// in InfluxDB must count each reading once, the duplicates must be counted, and every message must be acknowledged.
/// </summary>
public sealed class DeduplicationEndToEndSpec(MosquittoFixture mosquitto, InfluxFixture influx, ITestOutputHelper output)
    : IClassFixture<MosquittoFixture>, IClassFixture<InfluxFixture>
{
    private static readonly string[] Metrics = ["temperature", "humidity"];
    private const int Seconds = 30;
    private const int Devices = 2;

    private static double ValueOf(int device, int metric, int second) => Math.Round(10 * (metric + 1) + device + ((second * 37 % 11) * 0.25), 2);

    [Fact]
    public async Task Readings_sent_twice_should_be_stored_and_aggregated_once_and_counted_as_duplicates()
    {
        using var brokerLog = mosquitto.Server.Log.CaptureTo(output, "mosquitto");
        using var influxLog = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("dedupe");
        var run = Guid.NewGuid().ToString("N")[..8];
        var baseMs = (DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds() / 10_000) * 10_000;
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            var settings = new Dictionary<string, string>
            {
                ["ReactiveIngest:Sources:Mqtt:0:Name"] = "mqtt:dedupe",
                ["ReactiveIngest:Sources:Mqtt:0:Connection:Host"] = mosquitto.Server.Host,
                ["ReactiveIngest:Sources:Mqtt:0:Connection:Port"] = mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture),
                ["ReactiveIngest:Sources:Mqtt:0:Connection:ClientId"] = $"dedupe-{run}",
                ["ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter"] = $"dedupe/{run}/+",
                ["ReactiveIngest:Sources:Mqtt:0:MaxInFlight"] = "10000",
                ["ReactiveIngest:Influx:Url"] = influx.Server.BaseAddress.ToString(),
                ["ReactiveIngest:Influx:Database"] = db,
                ["ReactiveIngest:Influx:FlushInterval"] = "00:00:00.200",
                ["ReactiveIngest:Pipeline:Windows:0:Name"] = "10s",
                ["ReactiveIngest:Pipeline:Windows:0:Size"] = "00:00:10",
                ["ReactiveIngest:Pipeline:OutOfOrderness"] = "00:00:01",
                ["ReactiveIngest:Pipeline:AllowedLateness"] = "00:00:05",
                ["ReactiveIngest:Pipeline:IdleTimeout"] = "00:00:10",
            };
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        using var http = host.CreateClient();
        var status = host.Services.GetRequiredService<PipelineStatus>();
        var pipeline = host.Services.GetRequiredService<RunningInputs>();
        await pipeline.Ready.WaitAsync(TimeSpan.FromSeconds(60));

        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId($"dedupe-pub-{run}").Build());
        async Task PublishAsync(string device, string payload)
        {
            var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"dedupe/{run}/{device}").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.True(result.IsSuccess, result.ReasonString);
        }

        string PayloadOf(int device, int second, long t) =>
            $"{{\"deviceId\":\"d{device}\",\"ts\":{t},{string.Join(",", Metrics.Select((m, mi) => string.Create(CultureInfo.InvariantCulture, $"\"{m}\":{ValueOf(device, mi, second)}")))}}}";

        var unique = 0L;
        var published = 0L;
        for (var chunk = 0; chunk < Seconds / 10; chunk++)
        {
            for (var s = chunk * 10; s < (chunk + 1) * 10; s++)
            {
                for (var d = 0; d < Devices; d++)
                {
                    var payload = PayloadOf(d, s, baseMs + (s * 1000L) + (d * 10));
                    await PublishAsync($"d{d}", payload);
                    await PublishAsync($"d{d}", payload); // the device's retry
                    unique += Metrics.Length;
                    published += 2 * Metrics.Length;
                }
            }

            // A redelivery burst: the whole chunk again, in order (within the de-duplication depth of 16 per series).
            for (var s = chunk * 10; s < (chunk + 1) * 10; s++)
            {
                for (var d = 0; d < Devices; d++)
                {
                    await PublishAsync($"d{d}", PayloadOf(d, s, baseMs + (s * 1000L) + (d * 10)));
                    published += Metrics.Length;
                }
            }
        }

        var caughtUp = DateTime.UtcNow.AddSeconds(60);
        while ((status.Received < unique || status.Duplicates < published - unique) && DateTime.UtcNow < caughtUp)
        {
            await Task.Delay(100);
        }

        Assert.Equal(unique, status.Received);
        Assert.Equal(published - unique, status.Duplicates);

        var expectedWindows = new Dictionary<(string, string, long), (long Count, double Sum)>();
        for (var d = 0; d < Devices; d++)
        {
            for (var mi = 0; mi < Metrics.Length; mi++)
            {
                for (var w = 0; w < Seconds / 10; w++)
                {
                    var seconds = Enumerable.Range(w * 10, 10).ToList();
                    expectedWindows[($"d{d}", Metrics[mi], baseMs + (w * 10_000L))] = (10, seconds.Sum(s => ValueOf(d, mi, s)));
                }
            }
        }

        // Each read waits until the stored rows are complete and hold exactly the expected counts; then the last
        // acknowledgements (released after the writes) must follow.
        var raw = await StoredData.RawAsync(influx.Server, db, Metrics, expectedWindows.GroupBy(w => (w.Key.Item1, w.Key.Item2)).ToDictionary(g => g.Key, g => g.Sum(w => w.Value.Count)));
        var windows = await StoredData.WindowsAsync(influx.Server, db, expectedWindows.ToDictionary(w => w.Key, w => w.Value.Count));
        var released = DateTime.UtcNow.AddSeconds(60);
        while (pipeline.InFlight != 0 && DateTime.UtcNow < released)
        {
            await Task.Delay(100);
        }

        output.WriteLine($"received {status.Received}, duplicates {status.Duplicates}, windows {status.WindowResults}, late {status.LateReadings}, in flight {pipeline.InFlight}");
        Assert.Equal(unique, raw.Values.Sum(r => r.Count));
        Assert.Equal(expectedWindows.Count, windows.Count);
        foreach (var (key, expected) in expectedWindows)
        {
            Assert.True(windows.TryGetValue(key, out var actual), $"no window {key}");
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected.Sum, actual.Sum, 6);
        }

        Assert.Equal(0, status.LateReadings);
        Assert.Equal(0, status.DeadLetters);
        Assert.Equal(0, pipeline.InFlight); // batches that were all duplicates released their messages too
        var api = await http.GetFromJsonAsync<JsonElement>("/api/status");
        Assert.Equal(published - unique, api.GetProperty("duplicates").GetInt64());
    }
}
