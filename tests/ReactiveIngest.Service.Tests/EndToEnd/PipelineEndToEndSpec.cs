using ReactiveIngest.TestSupport.Journal;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.TestSupport.Kafka;
using ReactiveIngest.TestSupport.Servers;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.EndToEnd;

/// <summary>
/// The whole service in-process against the real Mosquitto, influxd and the Kafka mock cluster: known data over
/// MQTT, Kafka and HTTP (with malformed, invalid and late messages) must end up in InfluxDB exactly as a
/// brute-force ground truth says.
/// </summary>
public sealed class PipelineEndToEndSpec(MosquittoFixture mosquitto, InfluxFixture influx, KafkaMockClusterFixture kafka, ITestOutputHelper output)
    : IClassFixture<MosquittoFixture>, IClassFixture<InfluxFixture>, IClassFixture<KafkaMockClusterFixture>
{
    private static readonly string[] Metrics = ["temperature", "humidity", "pressure"];
    private const int Seconds = 60;

    private sealed record Sent(string Device, string Metric, long TimeMs, double Value);

    private static double ValueOf(int device, int metric, int second) =>
        Math.Round(10 * (metric + 1) + device + ((second * 37 % 11) * 0.25), 2);

    [Fact]
    public async Task Raw_points_and_window_aggregates_in_influxdb_should_equal_the_ground_truth_and_bad_input_should_be_dead_lettered()
    {
        using var brokerLog = mosquitto.Server.Log.CaptureTo(output, "mosquitto");
        using var influxLog = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("e2e");
        var run = Guid.NewGuid().ToString("N")[..8];
        var baseMs = (DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds() / 10_000) * 10_000;

        var topic = $"e2e-{run}";
        await kafka.CreateTopicAsync(topic, 1);
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            var settings = new Dictionary<string, string>
            {
                ["ReactiveIngest:Sources:Mqtt:0:Name"] = "mqtt:e2e",
                ["ReactiveIngest:Sources:Mqtt:0:Connection:Host"] = mosquitto.Server.Host,
                ["ReactiveIngest:Sources:Mqtt:0:Connection:Port"] = mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture),
                ["ReactiveIngest:Sources:Mqtt:0:Connection:ClientId"] = $"e2e-{run}",
                ["ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter"] = $"e2e/{run}/+",
                ["ReactiveIngest:Sources:Mqtt:0:MaxInFlight"] = "10000",
                ["ReactiveIngest:Sources:Kafka:0:BootstrapServers"] = kafka.BootstrapServers,
                ["ReactiveIngest:Sources:Kafka:0:GroupId"] = $"e2e-{run}",
                ["ReactiveIngest:Sources:Kafka:0:Topics:0"] = topic,
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

        var sent = new List<Sent>();
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId($"e2e-pub-{run}").Build());
        async Task PublishAsync(string device, string payload)
        {
            var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"e2e/{run}/{device}").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.True(result.IsSuccess, result.ReasonString);
        }

        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build();

        // Event time advances together on all inputs (each is a watermark partition): per 10 s, HTTP posts device h0
        // as one JSON array, then MQTT carries devices d0..d3 in event-time order. Bad messages go in at second 20.
        for (var chunk = 0; chunk < Seconds / 10; chunk++)
        {
            for (var s = chunk * 10; s < (chunk + 1) * 10; s++)
            {
                var t = baseMs + (s * 1000L) + 5;
                var values = Metrics.Select((m, mi) => (m, v: ValueOf(7, mi, s))).ToList();
                sent.AddRange(values.Select(x => new Sent("k0", x.m, t, x.v)));
                await producer.ProduceAsync(topic, new Message<string, string>
                {
                    Key = "k0",
                    Value = $"{{\"deviceId\":\"k0\",\"ts\":{t},{string.Join(",", values.Select(x => string.Create(CultureInfo.InvariantCulture, $"\"{x.m}\":{x.v}")))}}}",
                });
            }

            if (chunk == 2)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = "k0", Value = "{\"deviceId\":" });
            }

            if (chunk == 0)
            {
                // The consumer joins its group asynchronously; until its first records arrive the Kafka partition
                // does not hold the watermark back, so the other inputs must not run ahead of it.
                var joined = DateTime.UtcNow.AddSeconds(60);
                while (status.Received < 30 && DateTime.UtcNow < joined)
                {
                    await Task.Delay(100);
                }

                Assert.Equal(30, status.Received);
            }

            var objects = new List<string>();
            for (var s = chunk * 10; s < (chunk + 1) * 10; s++)
            {
                var t = baseMs + (s * 1000L);
                var values = Metrics.Select((m, mi) => (m, v: ValueOf(9, mi, s))).ToList();
                sent.AddRange(values.Select(x => new Sent("h0", x.m, t, x.v)));
                objects.Add($"{{\"deviceId\":\"h0\",\"ts\":{t},{string.Join(",", values.Select(x => string.Create(CultureInfo.InvariantCulture, $"\"{x.m}\":{x.v}")))}}}");
            }

            using var content = new StringContent($"[{string.Join(",", objects)}]", Encoding.UTF8, "application/json");
            var response = await http.PostAsync(new Uri("/api/ingest", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

            for (var s = chunk * 10; s < (chunk + 1) * 10; s++)
            {
                for (var d = 0; d < 4; d++)
                {
                    var t = baseMs + (s * 1000L) + (d * 10);
                    var values = Metrics.Select((m, mi) => (m, v: ValueOf(d, mi, s))).ToList();
                    sent.AddRange(values.Select(x => new Sent($"d{d}", x.m, t, x.v)));
                    await PublishAsync($"d{d}", $"{{\"deviceId\":\"d{d}\",\"ts\":{t},{string.Join(",", values.Select(x => string.Create(CultureInfo.InvariantCulture, $"\"{x.m}\":{x.v}")))}}}");
                }

                if (s == 20)
                {
                    var t = baseMs + (s * 1000L);
                    await PublishAsync("d0", "{\"deviceId\":\"d0\",\"ts\":");
                    await PublishAsync("d1", "not json");
                    await PublishAsync("d2", $"{{\"deviceId\":\"d2\",\"ts\":{t},\"temperature\":\"warm\"}}");
                    var future = DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeMilliseconds();
                    await PublishAsync("d3", $"{{\"deviceId\":\"d3\",\"ts\":{future},\"temperature\":1}}");
                }
            }
        }

        // Every input must have caught up (the Kafka consumer may lag behind), so the watermark is past the first
        // window's end plus the allowed lateness before the late reading goes in.
        var caughtUp = DateTime.UtcNow.AddSeconds(60);
        while (status.Received < sent.Count && DateTime.UtcNow < caughtUp)
        {
            await Task.Delay(100);
        }

        Assert.Equal(sent.Count, status.Received);

        // Late: event time in the first window, after the watermark passed its end plus the allowed lateness.
        var lateT = baseMs + 3_005; // a distinct timestamp: the same one would overwrite d0's point
        sent.Add(new Sent("d0", "temperature", lateT, 999));
        await PublishAsync("d0", $"{{\"deviceId\":\"d0\",\"ts\":{lateT},\"temperature\":999}}");

        // Ground truth.
        var rawExpected = sent.GroupBy(x => (x.Device, x.Metric)).ToDictionary(g => g.Key, g => (Count: g.Count(), Sum: g.Sum(x => x.Value)));
        var windowExpected = sent.Where(x => x.Value != 999)
            .GroupBy(x => (x.Device, x.Metric, Start: x.TimeMs / 10_000 * 10_000))
            .ToDictionary(g => g.Key, g => (Count: (long)g.Count(), Sum: g.Sum(x => x.Value), Min: g.Min(x => x.Value), Max: g.Max(x => x.Value)));

        // Each read waits until the stored rows are complete and hold exactly the expected counts.
        var raw = await StoredData.RawAsync(influx.Server, db, Metrics, rawExpected.ToDictionary(r => r.Key, r => (long)r.Value.Count));
        var windows = await StoredData.WindowsAsync(influx.Server, db, windowExpected.ToDictionary(w => w.Key, w => w.Value.Count));

        // The late reading is counted on the window branch, the dead letters on their own: neither is ordered with
        // the raw writes awaited above.
        var deadLetterLog = host.Services.GetRequiredService<DeadLetterLog>();
        var counted = DateTime.UtcNow.AddSeconds(60);
        while ((status.LateReadings < 1 || deadLetterLog.CountByReason().Values.Sum() < 5) && DateTime.UtcNow < counted)
        {
            await Task.Delay(100);
        }

        output.WriteLine($"received {status.Received}, windows {status.WindowResults}, late {status.LateReadings}, dead letters {status.DeadLetters}");
        Assert.Equal(rawExpected.Count, raw.Count);
        foreach (var ((device, metric), expected) in rawExpected)
        {
            Assert.True(raw.TryGetValue((device, metric), out var actual), $"no raw points for {device}/{metric}");
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected.Sum, actual.Sum, 6);
        }

        Assert.Equal(windowExpected.Count, windows.Count);
        foreach (var ((device, metric, start), expected) in windowExpected)
        {
            Assert.True(windows.TryGetValue((device, metric, start), out var actual), $"no window {device}/{metric}@{start}");
            Assert.Equal(expected.Count, actual.Count);
            Assert.Equal(expected.Sum, actual.Sum, 6);
            Assert.Equal(expected.Min, actual.Min, 6);
            Assert.Equal(expected.Max, actual.Max, 6);
            Assert.Equal(expected.Sum / expected.Count, actual.Mean, 6);
        }

        Assert.Equal(1, status.LateReadings);
        var deadLetters = deadLetterLog.CountByReason();
        Assert.Equal(3, deadLetters.GetValueOrDefault(RejectReason.MalformedPayload));
        Assert.Equal(1, deadLetters.GetValueOrDefault(RejectReason.WrongType) + deadLetters.GetValueOrDefault(RejectReason.NoMetrics));
        Assert.Equal(1, deadLetters.GetValueOrDefault(RejectReason.TimestampTooFarInFuture));

        var api = await http.GetFromJsonAsync<JsonElement>("/api/deadletters?limit=50");
        Assert.Equal(5, api.GetProperty("total").GetInt64());
        Assert.Equal(3, api.GetProperty("byReason").GetProperty("MalformedPayload").GetInt64());
        Assert.Contains(api.GetProperty("recent").EnumerateArray(), d =>
            d.GetProperty("reason").GetString() == "MalformedPayload" &&
            Encoding.UTF8.GetString(Convert.FromBase64String(d.GetProperty("payloadBase64").GetString()!)) == "not json");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }
}
