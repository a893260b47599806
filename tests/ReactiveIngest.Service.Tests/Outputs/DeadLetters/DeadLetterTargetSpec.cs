using ReactiveIngest.TestSupport.Journal;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.TestSupport.Kafka;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.Outputs.DeadLetters;

/// <summary>
/// The service in-process with malformed input from the real Mosquitto or the Kafka mock cluster: every bad message
/// must reach the configured dead-letter target with its reason and original bytes, and its source message is
/// acknowledged only then.
/// </summary>
public sealed class DeadLetterTargetSpec(MosquittoFixture mosquitto, KafkaMockClusterFixture kafka, ITestOutputHelper output)
    : IClassFixture<MosquittoFixture>, IClassFixture<KafkaMockClusterFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ri-dl-target-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Malformed(int i) => $"{{\"deviceId\":\"d{i}\",\"temperature\": broken {i}";

    private WebApplicationFactory<Program> StartWithMqttSource(Dictionary<string, string> extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["ReactiveIngest:Sources:Mqtt:0:Name"] = "mqtt:dl",
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Host"] = mosquitto.Server.Host,
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Port"] = mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Sources:Mqtt:0:Connection:ClientId"] = $"dl-src-{_run}",
            ["ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter"] = $"dl/{_run}/in/+",
            ["ReactiveIngest:Sources:Http:Enabled"] = "false",
        };
        return Start(settings, extra);
    }

    private static WebApplicationFactory<Program> Start(Dictionary<string, string> settings, Dictionary<string, string> extra) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            foreach (var (key, value) in settings.Concat(extra))
            {
                b.UseSetting(key, value);
            }
        });

    private async Task<IMqttClient> ConnectAsync(string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId(clientId).Build());
        return client;
    }

    private async Task PublishMalformedAsync(IMqttClient publisher, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"dl/{_run}/in/d{i}").WithPayload(Malformed(i))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.True(result.IsSuccess, result.ReasonString);
        }
    }

    private static async Task StartedAsync(WebApplicationFactory<Program> host)
    {
        var pipeline = host.Services.GetRequiredService<RunningInputs>();
        await pipeline.Ready.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>Checks that <paramref name="records"/> are exactly the dead letters of the malformed messages 0..count-1.</summary>
    private static void AssertMalformedRecords(IReadOnlyCollection<JsonElement> records, int count, string source, Func<int, string> topic)
    {
        var byPayload = records.ToDictionary(r => Encoding.UTF8.GetString(r.GetProperty("payload").GetBytesFromBase64()));
        for (var i = 0; i < count; i++)
        {
            Assert.True(byPayload.TryGetValue(Malformed(i), out var record), $"dead letter of message {i} missing");
            Assert.Equal("MalformedPayload", record.GetProperty("reason").GetString());
            Assert.Equal(1, record.GetProperty("reasonCode").GetInt32());
            Assert.False(string.IsNullOrEmpty(record.GetProperty("detail").GetString()));
            Assert.Equal(source, record.GetProperty("source").GetString());
            Assert.Equal(topic(i), record.GetProperty("topic").GetString());
            var receivedAt = record.GetProperty("receivedAt").GetDateTimeOffset();
            Assert.InRange(receivedAt, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
        }
    }

    [Fact]
    public async Task Malformed_mqtt_messages_should_be_written_to_the_file_target_within_its_rotation_bound()
    {
        const int Count = 60;
        var path = Path.Combine(_directory, "dead.jsonl");
        await using var host = StartWithMqttSource(new()
        {
            ["ReactiveIngest:DeadLetters:Target"] = "File",
            ["ReactiveIngest:DeadLetters:File:Path"] = path,
            ["ReactiveIngest:DeadLetters:File:MaxFileBytes"] = "4096",
            ["ReactiveIngest:DeadLetters:File:MaxFiles"] = "3",
        });
        await StartedAsync(host);
        using var publisher = await ConnectAsync($"dl-pub-{_run}");
        await PublishMalformedAsync(publisher, Count);

        var log = host.Services.GetRequiredService<DeadLetterLog>();
        var pipeline = host.Services.GetRequiredService<RunningInputs>();
        await WaitUntilAsync(() => log.Total == Count && pipeline.InFlight == 0, "every dead letter to be recorded and its message acknowledged");

        var file = host.Services.GetRequiredService<DeadLetterOutput>().File;
        Assert.NotNull(file);
        var files = file.Files();
        output.WriteLine($"files: {string.Join(", ", files.Select(f => $"{Path.GetFileName(f)}={new FileInfo(f).Length}"))}");
        Assert.Equal(3, files.Count);
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 4096));
        Assert.Empty(Directory.GetFiles(_directory).Except(files));

        // Rotation dropped the oldest files; what is kept is complete, parseable and exactly the malformed messages.
        var kept = files.SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.InRange(kept.Count, 1, Count - 1);
        var keptNumbers = kept.Select(r => Encoding.UTF8.GetString(r.GetProperty("payload").GetBytesFromBase64()))
            .Select(p => Enumerable.Range(0, Count).Single(i => Malformed(i) == p)).ToList();
        Assert.Equal(keptNumbers.Count, keptNumbers.Distinct().Count());
        AssertMalformedRecords(kept, 0, "mqtt:dl", i => $"dl/{_run}/in/d{i}");
        foreach (var (record, i) in kept.Zip(keptNumbers))
        {
            Assert.Equal("MalformedPayload", record.GetProperty("reason").GetString());
            Assert.Equal($"dl/{_run}/in/d{i}", record.GetProperty("topic").GetString());
            Assert.Equal("mqtt:dl", record.GetProperty("source").GetString());
        }
    }

    [Fact]
    public async Task Malformed_mqtt_messages_should_be_published_to_the_mqtt_target_with_reason_and_original_bytes()
    {
        const int Count = 10;
        var deadTopic = $"dl/{_run}/dead";
        using var subscriber = await ConnectAsync($"dl-sub-{_run}");
        var received = new ConcurrentQueue<JsonElement>();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(JsonDocument.Parse(e.ApplicationMessage.Payload).RootElement.Clone());
            return Task.CompletedTask;
        };
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(deadTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await using var host = StartWithMqttSource(new()
        {
            ["ReactiveIngest:DeadLetters:Target"] = "Mqtt",
            ["ReactiveIngest:DeadLetters:Mqtt:Topic"] = deadTopic,
            ["ReactiveIngest:DeadLetters:Mqtt:Connection:Host"] = mosquitto.Server.Host,
            ["ReactiveIngest:DeadLetters:Mqtt:Connection:Port"] = mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:DeadLetters:Mqtt:Connection:ClientId"] = $"dl-out-{_run}",
        });
        await StartedAsync(host);
        using var publisher = await ConnectAsync($"dl-pub-{_run}");
        await PublishMalformedAsync(publisher, Count);

        var pipeline = host.Services.GetRequiredService<RunningInputs>();
        await WaitUntilAsync(() => received.Count >= Count, $"{Count} dead letters on {deadTopic}");
        await WaitUntilAsync(() => pipeline.InFlight == 0, "the malformed messages to be acknowledged");
        Assert.Equal(Count, received.Count);
        AssertMalformedRecords(received, Count, "mqtt:dl", i => $"dl/{_run}/in/d{i}");
    }

    [Fact]
    public async Task Malformed_kafka_records_should_be_written_to_the_kafka_target_with_partition_and_offset()
    {
        const int Count = 10;
        var inTopic = $"dl-in-{_run}";
        var deadTopic = $"dl-dead-{_run}";
        await kafka.CreateTopicAsync(inTopic, 1);
        await kafka.CreateTopicAsync(deadTopic, 1);
        await using var host = Start(
            new()
            {
                ["ReactiveIngest:Sources:Kafka:0:BootstrapServers"] = kafka.BootstrapServers,
                ["ReactiveIngest:Sources:Kafka:0:GroupId"] = $"dl-{_run}",
                ["ReactiveIngest:Sources:Kafka:0:Topics:0"] = inTopic,
                ["ReactiveIngest:Sources:Http:Enabled"] = "false",
            },
            new()
            {
                ["ReactiveIngest:DeadLetters:Target"] = "Kafka",
                ["ReactiveIngest:DeadLetters:Kafka:Topic"] = deadTopic,
                ["ReactiveIngest:DeadLetters:Kafka:BootstrapServers"] = kafka.BootstrapServers,
                ["ReactiveIngest:DeadLetters:Kafka:Properties:linger.ms"] = "5",
            });
        _ = host.Services;

        var offsets = new Dictionary<int, long>();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build())
        {
            for (var i = 0; i < Count; i++)
            {
                var result = await producer.ProduceAsync(inTopic, new Message<string, string> { Key = "k", Value = Malformed(i) });
                offsets[i] = result.Offset.Value;
            }
        }

        var records = new List<JsonElement>();
        using (var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = $"dl-check-{_run}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build())
        {
            consumer.Subscribe(deadTopic);
            var deadline = DateTime.UtcNow + Patience;
            while (records.Count < Count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for dead letters on {deadTopic} (got {records.Count})");
                var message = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (message is { Message: not null })
                {
                    Assert.Equal("kafka:0", message.Message.Key);
                    records.Add(JsonDocument.Parse(message.Message.Value).RootElement.Clone());
                }
            }
        }

        Assert.Equal(Count, records.Count);
        AssertMalformedRecords(records, Count, "kafka:0", _ => inTopic);
        foreach (var record in records)
        {
            var payload = Encoding.UTF8.GetString(record.GetProperty("payload").GetBytesFromBase64());
            var i = Enumerable.Range(0, Count).Single(n => Malformed(n) == payload);
            Assert.Equal(0, record.GetProperty("partition").GetInt32());
            Assert.Equal(offsets[i], record.GetProperty("offset").GetInt64());
            Assert.Equal("k", record.GetProperty("key").GetString());
        }
    }
}
