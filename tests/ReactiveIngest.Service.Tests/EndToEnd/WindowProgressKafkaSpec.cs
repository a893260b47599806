using System.Globalization;
using Confluent.Kafka;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Query;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Outputs.Influx;
using ReactiveIngest.TestSupport.Journal;
using ReactiveIngest.TestSupport.Kafka;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.EndToEnd;

/// <summary>
/// A Kafka partition moves to another consumer instance (a rebalance, or a restart on another machine): the previous
/// owner had stored windows [0 s, 10 s) and [10 s, 20 s) as final and saved its window progress under the topic and
/// partition, but crashed before committing the offsets. The new instance replays the partition from the committed
/// offset (here: the start) and must leave those two windows as they are, while computing the open one.
/// </summary>
public sealed class WindowProgressKafkaSpec(InfluxFixture influx, KafkaMockClusterFixture kafka, ITestOutputHelper output)
    : IClassFixture<InfluxFixture>, IClassFixture<KafkaMockClusterFixture>
{
    private const long StoredCount = 99; // what the previous owner stored; a partial rebuild would replace it

    [Fact]
    public async Task Progress_saved_under_topic_and_partition_should_be_honoured_by_the_next_consumer_of_that_partition()
    {
        using var influxLog = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("progress-kafka");
        var run = Guid.NewGuid().ToString("N")[..8];
        var topic = $"progress-{run}";
        var group = $"progress-{run}";
        await kafka.CreateTopicAsync(topic, 1);
        var baseMs = (DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds() / 10_000) * 10_000;
        var baseNs = baseMs * UnixTime.NanosPerMillisecond;

        // What the previous owner left: the two first windows stored, and progress saying they are final, under the
        // partition's name: source (Sources:Kafka:0:SourceName, by default kafka:0), topic and partition.
        var options = new InfluxWriterOptions { Url = influx.Server.BaseAddress, Database = db, Gzip = false };
        using (var writer = new InfluxWriter(options))
        using (var query = new InfluxQueryClient(options))
        {
            using var batch = new EncodedBatch();
            foreach (var start in new[] { 0L, 10L })
            {
                Assert.Null(batch.TryAdd(new LinePoint(
                    "window_10s",
                    TagSet.Create([new Tag("deviceId", "k0"), new Tag("metric", "temperature")]),
                    [new Field("count", FieldValue.Integer(StoredCount)), new Field("sum", FieldValue.Float(1)), new Field("min", FieldValue.Float(1)), new Field("max", FieldValue.Float(1)), new Field("mean", FieldValue.Float(1))],
                    baseNs + (start * UnixTime.NanosPerSecond))));
            }

            Assert.Empty((await writer.WriteAsync(batch)).Rejected);
            var progress = new InfluxWindowProgressStore(writer, query, options);
            await progress.SaveAsync("10s", [new($"kafka:0:{topic}:0", baseNs + (20 * UnixTime.NanosPerSecond))]);
        }

        // The partition's records, none committed: seconds 0..24, one reading each.
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build())
        {
            for (var s = 0; s < 25; s++)
            {
                var t = baseMs + (s * 1000L);
                await producer.ProduceAsync(topic, new Message<string, string>
                {
                    Key = "k0",
                    Value = string.Create(CultureInfo.InvariantCulture, $"{{\"deviceId\":\"k0\",\"ts\":{t},\"temperature\":{s}}}"),
                });
            }
        }

        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            var settings = new Dictionary<string, string>
            {
                ["ReactiveIngest:Sources:Kafka:0:BootstrapServers"] = kafka.BootstrapServers,
                ["ReactiveIngest:Sources:Kafka:0:GroupId"] = group,
                ["ReactiveIngest:Sources:Kafka:0:Topics:0"] = topic,
                ["ReactiveIngest:Sources:Http:Enabled"] = "false",
                [TestJournalDirectory.Key] = TestJournalDirectory.New(),
                ["ReactiveIngest:Influx:Url"] = influx.Server.BaseAddress.ToString(),
                ["ReactiveIngest:Influx:Database"] = db,
                ["ReactiveIngest:Influx:FlushInterval"] = "00:00:00.200",
                ["ReactiveIngest:Pipeline:Windows:0:Name"] = "10s",
                ["ReactiveIngest:Pipeline:Windows:0:Size"] = "00:00:10",
                ["ReactiveIngest:Pipeline:OutOfOrderness"] = "00:00:00",
                ["ReactiveIngest:Pipeline:AllowedLateness"] = "00:00:00",
                ["ReactiveIngest:Pipeline:IdleTimeout"] = "00:00:02",
            };
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        var status = host.Services.GetRequiredService<PipelineStatus>();

        // Every raw point is written; the open window [20 s, 30 s) closes by wall clock once the partition is idle. The
        // two final windows keep the counts stored before the restart, not the 10 readings each that the replay holds.
        await StoredData.RawAsync(influx.Server, db, ["temperature"], new Dictionary<(string, string), long> { [("k0", "temperature")] = 25 });
        var windows = await StoredData.WindowsAsync(influx.Server, db, new Dictionary<(string, string, long), long>
        {
            [("k0", "temperature", baseMs)] = StoredCount,
            [("k0", "temperature", baseMs + 10_000)] = StoredCount,
            [("k0", "temperature", baseMs + 20_000)] = 5,
        });

        Assert.Equal(3, windows.Count);
        Assert.Equal(StoredCount, windows[("k0", "temperature", baseMs)].Count);
        Assert.Equal(StoredCount, windows[("k0", "temperature", baseMs + 10_000)].Count);
        var open = windows[("k0", "temperature", baseMs + 20_000)];
        Assert.Equal(5, open.Count);
        Assert.Equal(20 + 21 + 22 + 23 + 24, open.Sum);
        Assert.Equal(20, status.Window("10s").Gauges.ReplayedFinal);
        Assert.Equal(0, status.LateReadings);
    }
}
