using ReactiveIngest.TestSupport.Journal;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Mvc.Testing;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.TestSupport.Kafka;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.Analytics;

/// <summary>
/// The host in-process with alert rules publishing to the real Mosquitto and the Kafka mock cluster: known input must
/// give exactly the raised and cleared events the rules define, as JSON, on both targets.
/// </summary>
public sealed class AlertPublishingSpec(MosquittoFixture mosquitto, KafkaMockClusterFixture kafka, ITestOutputHelper output)
    : IClassFixture<MosquittoFixture>, IClassFixture<KafkaMockClusterFixture>
{
    private sealed record Event(string Rule, string Device, string Metric, double Value, string State, long TimestampNs, string EventTime);

    // Per metric, the values device a1 sends at seconds 0, 1, 2, …
    private static readonly double[] Temperature = [70, 85, 82, 78, 74, 76, 90];
    private static readonly double[] Battery = [15, 9, 11, 13, 12];
    private static readonly double[] Pressure = [1000, 1000, 1000, 1000, 1001, 1001, 1001];

    [Fact]
    public async Task Threshold_and_stuck_sensor_rules_should_publish_raised_and_cleared_events_to_mqtt_and_kafka()
    {
        using var brokerLog = mosquitto.Server.Log.CaptureTo(output, "mosquitto");
        var run = Guid.NewGuid().ToString("N")[..8];
        var kafkaTopic = $"alerts-{run}";
        await kafka.CreateTopicAsync(kafkaTopic, 2);
        var baseMs = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() / 1000 * 1000;

        var received = new ConcurrentQueue<(string Topic, string Json)>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString()));
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId($"alerts-sub-{run}").Build());
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"alerts/{run}/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());

        var settings = new Dictionary<string, string>
        {
            ["ReactiveIngest:Alerts:Targets:0:Name"] = "ops-mqtt",
            ["ReactiveIngest:Alerts:Targets:0:Type"] = "Mqtt",
            ["ReactiveIngest:Alerts:Targets:0:Topic"] = $"alerts/{run}/all",
            ["ReactiveIngest:Alerts:Targets:0:Connection:Host"] = mosquitto.Server.Host,
            ["ReactiveIngest:Alerts:Targets:0:Connection:Port"] = mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Alerts:Targets:1:Name"] = "ops-kafka",
            ["ReactiveIngest:Alerts:Targets:1:Type"] = "kafka",
            ["ReactiveIngest:Alerts:Targets:1:Topic"] = kafkaTopic,
            ["ReactiveIngest:Alerts:Targets:1:BootstrapServers"] = kafka.BootstrapServers,
        };
        foreach (var (target, suffix) in new[] { ("ops-mqtt", "m"), ("ops-kafka", "k") })
        {
            var first = suffix == "m" ? 0 : 3;
            Rule(settings, first, $"hot-{suffix}", target, ("Type", "Threshold"), ("Metric", "temperature"), ("High", "80"), ("Clear", "75"));
            Rule(settings, first + 1, $"flat-{suffix}", target, ("Type", "StuckSensor"), ("Metric", "pressure"), ("Repeats", "3"));
            Rule(settings, first + 2, $"low-battery-{suffix}", target, ("Type", "Threshold"), ("Metric", "battery"), ("Low", "10"), ("Clear", "12.5"), ("Devices:0", "a1"));
        }

        // This rule publishes to its own MQTT topic.
        settings["ReactiveIngest:Alerts:Rules:2:Topic"] = $"alerts/{run}/battery";

        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        using var http = host.CreateClient();

        // Device a1 sends all three metrics; a2 sends a hot temperature and a low battery, which no battery rule watches.
        var body = new StringBuilder("[");
        long Ms(int second) => baseMs + (second * 1000L);
        for (var s = 0; s < Temperature.Length; s++)
        {
            body.Append(CultureInfo.InvariantCulture, $$"""{"deviceId":"a1","ts":{{Ms(s)}},"temperature":{{Temperature[s]}},"pressure":{{Pressure[s]}}{{(s < Battery.Length ? $",\"battery\":{Battery[s]}" : "")}}},""");
        }

        body.Append(CultureInfo.InvariantCulture, $$"""{"deviceId":"a2","ts":{{Ms(0)}},"temperature":81,"battery":5}]""");
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync(new Uri("/api/ingest", UriKind.Relative), content)).StatusCode);

        List<Event> Expected(string suffix) =>
        [
            new($"hot-{suffix}", "a1", "temperature", 85, "raised", Ms(1) * 1_000_000, Iso(Ms(1))),
            new($"hot-{suffix}", "a1", "temperature", 74, "cleared", Ms(4) * 1_000_000, Iso(Ms(4))),
            new($"hot-{suffix}", "a1", "temperature", 90, "raised", Ms(6) * 1_000_000, Iso(Ms(6))),
            new($"hot-{suffix}", "a2", "temperature", 81, "raised", Ms(0) * 1_000_000, Iso(Ms(0))),
            new($"flat-{suffix}", "a1", "pressure", 1000, "raised", Ms(2) * 1_000_000, Iso(Ms(2))),
            new($"flat-{suffix}", "a1", "pressure", 1001, "cleared", Ms(4) * 1_000_000, Iso(Ms(4))),
            new($"flat-{suffix}", "a1", "pressure", 1001, "raised", Ms(6) * 1_000_000, Iso(Ms(6))),
            new($"low-battery-{suffix}", "a1", "battery", 9, "raised", Ms(1) * 1_000_000, Iso(Ms(1))),
            new($"low-battery-{suffix}", "a1", "battery", 13, "cleared", Ms(3) * 1_000_000, Iso(Ms(3))),
        ];

        // MQTT: the order across rules and devices is not promised, so compare as sorted lists.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (received.Count < Expected("m").Count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{received.Count} of {Expected("m").Count} MQTT alert events within 60 s: {string.Join(" | ", received)}");
            await Task.Delay(50);
        }

        var mqttEvents = received.ToList();
        Assert.Equal(Sorted(Expected("m")), Sorted(mqttEvents.Select(m => Parse(m.Json))));
        Assert.All(mqttEvents, m => Assert.Equal(Parse(m.Json).Rule.StartsWith("low-battery", StringComparison.Ordinal) ? $"alerts/{run}/battery" : $"alerts/{run}/all", m.Topic));

        // Kafka: keyed by device, so each device's events are in order within its partition.
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"alerts-{run}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(kafkaTopic);
        var records = new List<ConsumeResult<string, string>>();
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (records.Count < Expected("k").Count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{records.Count} of {Expected("k").Count} Kafka alert events within 60 s{Environment.NewLine}{kafka.RecentLog()}");
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record)
            {
                records.Add(record);
            }
        }

        consumer.Close();
        var kafkaEvents = records.Select(r => Parse(r.Message.Value)).ToList();
        Assert.Equal(Sorted(Expected("k")), Sorted(kafkaEvents));
        Assert.All(records, r => Assert.Equal(Parse(r.Message.Value).Device, r.Message.Key));
        foreach (var rule in kafkaEvents.Select(e => e.Rule).Distinct())
        {
            var a1 = kafkaEvents.Where(e => e.Rule == rule && e.Device == "a1").ToList();
            Assert.Equal(Expected("k").Where(e => e.Rule == rule && e.Device == "a1"), a1);
        }

        // /metrics counts each rule's events by state, produced and acknowledged by the target. A subscriber can see an
        // event before the target's acknowledgement is counted, so wait for every counter, not just one or two.
        var groups = Expected("m").Concat(Expected("k")).GroupBy(e => (e.Rule, e.State)).ToList();
        deadline = DateTime.UtcNow.AddSeconds(30);
        string metrics;
        while (true)
        {
            metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            var text = metrics;
            if (groups.All(g => MetricValue(text, "reactiveingest_alerts_produced_total", g.Key.Rule, g.Key.State) == g.Count() &&
                                MetricValue(text, "reactiveingest_alerts_published_total", g.Key.Rule, g.Key.State) == g.Count()))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"alert counters did not reach the published events within 30 s:{Environment.NewLine}{metrics}");
            await Task.Delay(100);
        }

        foreach (var group in groups)
        {
            Assert.Equal(group.Count(), MetricValue(metrics, "reactiveingest_alerts_produced_total", group.Key.Rule, group.Key.State));
            Assert.Equal(group.Count(), MetricValue(metrics, "reactiveingest_alerts_published_total", group.Key.Rule, group.Key.State));
        }
    }

    private static long? MetricValue(string metrics, string name, string rule, string state)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains($"rule=\"{rule}\"", StringComparison.Ordinal) && line.Contains($"state=\"{state}\"", StringComparison.Ordinal))
            {
                return long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static void Rule(Dictionary<string, string> settings, int index, string name, string target, params (string Key, string Value)[] values)
    {
        settings[$"ReactiveIngest:Alerts:Rules:{index}:Name"] = name;
        settings[$"ReactiveIngest:Alerts:Rules:{index}:Target"] = target;
        foreach (var (key, value) in values)
        {
            settings[$"ReactiveIngest:Alerts:Rules:{index}:{key}"] = value;
        }
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static Event Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        return new Event(
            e.GetProperty("rule").GetString()!,
            e.GetProperty("device").GetString()!,
            e.GetProperty("metric").GetString()!,
            e.GetProperty("value").GetDouble(),
            e.GetProperty("state").GetString()!,
            e.GetProperty("timestampNs").GetInt64(),
            e.GetProperty("eventTime").GetString()!);
    }

    private static List<Event> Sorted(IEnumerable<Event> events) =>
        [.. events.OrderBy(e => e.Rule, StringComparer.Ordinal).ThenBy(e => e.Device, StringComparer.Ordinal).ThenBy(e => e.TimestampNs)];
}
