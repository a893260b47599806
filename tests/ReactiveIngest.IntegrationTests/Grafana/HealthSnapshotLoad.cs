using ReactiveIngest.TestSupport.Journal;
using System.Globalization;
using System.Net;
using System.Text;
using Confluent.Kafka;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Service.Diagnostics;
using ReactiveIngest.Service.Live;
using ReactiveIngest.TestSupport.Kafka;
using ReactiveIngest.TestSupport.Servers;
using Xunit;

namespace ReactiveIngest.IntegrationTests.Grafana;

/// <summary>
/// Runs the service in-process for a few seconds with a short health interval, so the <c>pipeline_health</c>
/// measurement the pipeline-health dashboard reads is written by the real code: readings over HTTP and Kafka (one
/// Kafka record malformed, so there is a dead letter), stored in the given database of the real influxd.
/// </summary>
public static class HealthSnapshotLoad
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Runs the load and returns once several snapshots were stored after every reading passed.</summary>
    public static async Task RunAsync(InfluxFixture influx, KafkaMockClusterFixture kafka, string database)
    {
        ArgumentNullException.ThrowIfNull(influx);
        ArgumentNullException.ThrowIfNull(kafka);
        var run = Guid.NewGuid().ToString("N")[..8];
        var topic = $"grafana-{run}";
        await kafka.CreateTopicAsync(topic, 1);
        var settings = new Dictionary<string, string>
        {
            ["ReactiveIngest:Sources:Kafka:0:SourceName"] = "kafka:grafana",
            ["ReactiveIngest:Sources:Kafka:0:BootstrapServers"] = kafka.BootstrapServers,
            ["ReactiveIngest:Sources:Kafka:0:GroupId"] = $"grafana-{run}",
            ["ReactiveIngest:Sources:Kafka:0:Topics:0"] = topic,
            ["ReactiveIngest:Influx:Url"] = influx.Server.BaseAddress.ToString(),
            ["ReactiveIngest:Influx:Database"] = database,
            ["ReactiveIngest:Influx:FlushInterval"] = "00:00:00.100",
            ["ReactiveIngest:Influx:HealthInterval"] = "00:00:00.200",
        };
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        using var http = host.CreateClient();
        var status = host.Services.GetRequiredService<PipelineStatus>();
        var writer = host.Services.GetRequiredService<PipelineHealthWriter>();

        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var expected = 0;
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = Json("kafka-0001", nowMs - 20_000 + (i * 500), i) });
                expected++;
            }

            await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "{\"deviceId\":" });
        }

        for (var i = 0; i < 20; i++)
        {
            using var content = new StringContent(Json("http-0001", nowMs - 20_000 + (i * 500), i), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("/api/ingest", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            expected++;
        }

        // Every reading and the dead letter passed; then a few more snapshots carry the final counts and rates.
        await UntilAsync(() => status.Received == expected && status.DeadLetters >= 1 && status.PointsWritten == expected, "all readings through the pipeline");
        var written = writer.Written;
        await UntilAsync(() => writer.Written >= written + 4, "four more health snapshots");
    }

    private static string Json(string device, long tsMs, int i) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"deviceId\":\"{device}\",\"ts\":{tsMs},\"temperature\":{20 + (i % 5)}}}");

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not reached within {Patience}: {what}.");
            }

            await Task.Delay(100);
        }
    }
}
