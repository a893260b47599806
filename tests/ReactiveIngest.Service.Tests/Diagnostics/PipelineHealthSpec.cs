using ReactiveIngest.TestSupport.Journal;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Service.Diagnostics;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.Diagnostics;

/// <summary>
/// The service in-process against the real Mosquitto and influxd writes pipeline-health snapshots into InfluxDB whose
/// fields carry the real counts of what was published.
/// </summary>
public sealed class PipelineHealthSpec(MosquittoFixture mosquitto, InfluxFixture influx, ITestOutputHelper output)
    : IClassFixture<MosquittoFixture>, IClassFixture<InfluxFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Health_snapshots_in_influxdb_should_count_what_was_published()
    {
        using var brokerLog = mosquitto.Server.Log.CaptureTo(output, "mosquitto");
        using var influxLog = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("health");
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var host = Host(new()
        {
            ["ReactiveIngest:Sources:Mqtt:0:Name"] = "mqtt:health",
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Host"] = mosquitto.Server.Host,
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Port"] = mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Sources:Mqtt:0:Connection:ClientId"] = $"health-{run}",
            ["ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter"] = $"health/{run}/+",
            ["ReactiveIngest:Sources:Http:Enabled"] = "false",
            ["ReactiveIngest:Influx:Url"] = influx.Server.BaseAddress.ToString(),
            ["ReactiveIngest:Influx:Database"] = db,
            ["ReactiveIngest:Influx:FlushInterval"] = "00:00:00.200",
            ["ReactiveIngest:Influx:HealthInterval"] = "00:00:00.250",
        });
        using var client = host.CreateClient();
        var pipeline = host.Services.GetRequiredService<RunningInputs>();
        await pipeline.Ready.WaitAsync(Patience);

        const int Good = 40;
        const int Bad = 3;
        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId($"health-pub-{run}").Build());
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < Good + Bad; i++)
        {
            var payload = i < Good ? $"{{\"deviceId\":\"d{i % 4}\",\"ts\":{nowMs - 60_000 + i},\"temperature\":{i}}}" : "{\"deviceId\":";
            var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"health/{run}/d{i % 4}").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.True(result.IsSuccess, result.ReasonString);
        }

        // A snapshot taken after everything passed carries exact totals; earlier ones carry smaller ones.
        var source = await EventuallyAsync(db, "SELECT last(\"messages\"), last(\"readings\"), last(\"rejected\"), last(\"in_flight\") FROM \"pipeline_health\" WHERE \"component\" = 'source' AND \"source\" = 'mqtt:health'",
            row => row[1].GetInt64() == Good + Bad && row[2].GetInt64() == Good && row[3].GetInt64() == Bad && row[4].GetInt64() == 0);
        Assert.Equal(Good + Bad, source[1].GetInt64());

        // The source counts a reading when it is decoded, the pipeline status further downstream: only a pipeline
        // snapshot with every reading says the status counter got there too.
        var pipelineRow = await EventuallyAsync(db, "SELECT last(\"readings\"), last(\"dead_letters\") FROM \"pipeline_health\" WHERE \"component\" = 'pipeline'",
            row => row[1].GetInt64() == Good && row[2].GetInt64() == Bad);
        Assert.Equal(Good, pipelineRow[1].GetInt64());
        var status = host.Services.GetRequiredService<PipelineStatus>();
        Assert.Equal(Good, status.Received);

        var deadLetters = host.Services.GetRequiredService<DeadLetterLog>().CountByReason();
        var reason = Assert.Single(deadLetters).Key.ToString();
        await EventuallyAsync(db, $"SELECT last(\"count\") FROM \"pipeline_health\" WHERE \"component\" = 'dead_letters' AND \"reason\" = '{reason}'",
            row => row[1].GetInt64() == Bad);

        // The raw points were written by the data path, so the writer component reports write latency and points.
        await EventuallyAsync(db, "SELECT last(\"points_written\"), max(\"write_latency_ms_mean\") FROM \"pipeline_health\" WHERE \"component\" = 'influx'",
            row => row[1].GetInt64() >= Good && row[2].ValueKind == JsonValueKind.Number && row[2].GetDouble() > 0);
        await EventuallyAsync(db, "SELECT last(\"emitted\") FROM \"pipeline_health\" WHERE \"component\" = 'window' AND \"window\" = '10s'",
            row => row[1].GetInt64() >= 0);

        // The readings of four devices sit in open windows (one or two each) until the watermark or the wall-clock
        // fallback closes them, with their messages waiting for those windows.
        await EventuallyAsync(db, "SELECT max(\"open_windows\"), max(\"series\"), max(\"pending_messages\") FROM \"pipeline_health\" WHERE \"component\" = 'window' AND \"window\" = '10s'",
            row => row[1].GetInt64() is >= 4 and <= 8 && row[2].GetInt64() >= 4 && row[3].GetInt64() >= 1);

        var writer = host.Services.GetRequiredService<PipelineHealthWriter>();
        Assert.True(writer.Written > 0);
    }

    [Fact]
    public async Task Snapshots_should_be_dropped_and_counted_while_influxdb_does_not_answer_and_http_ingest_should_still_accept()
    {
        // Nothing listens on this port: every write is retried and the health path keeps one snapshot in flight.
        var deadPort = FreePort.Next();
        await using var host = Host(new()
        {
            ["ReactiveIngest:Influx:Url"] = $"http://127.0.0.1:{deadPort}/",
            ["ReactiveIngest:Influx:Database"] = "nowhere",
            ["ReactiveIngest:Influx:HealthInterval"] = "00:00:00.100",
        });
        using var client = host.CreateClient();
        var writer = host.Services.GetRequiredService<PipelineHealthWriter>();
        var deadline = DateTime.UtcNow + Patience;
        while (writer.Dropped < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(writer.Dropped >= 3, $"dropped {writer.Dropped}");
        Assert.Equal(0, writer.Written);
        using var content = new StringContent("{\"deviceId\":\"d1\",\"temperature\":1}", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), content);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("HealthInterval", "00:00:00.001", "ReactiveIngest:Influx:HealthInterval")]
    [InlineData("HealthInterval", "02:00:00", "ReactiveIngest:Influx:HealthInterval")]
    [InlineData("HealthMeasurement", " ", "ReactiveIngest:Influx:HealthMeasurement")]
    public void Invalid_health_options_should_fail_start_naming_the_key(string key, string value, string expectedKey)
    {
        using var factory = Host(new()
        {
            ["ReactiveIngest:Influx:Url"] = "http://127.0.0.1:1/",
            ["ReactiveIngest:Influx:Database"] = "db",
            [$"ReactiveIngest:Influx:{key}"] = value,
        });
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(expectedKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_interval_should_turn_the_snapshots_off()
    {
        using var factory = Host(new()
        {
            ["ReactiveIngest:Influx:Url"] = "http://127.0.0.1:1/",
            ["ReactiveIngest:Influx:Database"] = "db",
            ["ReactiveIngest:Influx:HealthInterval"] = "00:00:00",
        });
        Assert.Null(factory.Services.GetService<PipelineHealthWriter>());
    }

    private static WebApplicationFactory<Program> Host(Dictionary<string, string> settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    /// <summary>Polls a query until its first row satisfies <paramref name="accept"/> (row[0] is the time).</summary>
    private async Task<JsonElement[]> EventuallyAsync(string db, string influxQl, Func<JsonElement[], bool> accept)
    {
        var deadline = DateTime.UtcNow + Patience;
        string last = "(no answer)";
        while (DateTime.UtcNow < deadline)
        {
            last = await influx.Server.QueryAsync(influxQl, db);
            using var doc = JsonDocument.Parse(last);
            var result = doc.RootElement.GetProperty("results")[0];
            if (result.TryGetProperty("series", out var series))
            {
                var row = series[0].GetProperty("values")[0].EnumerateArray().Select(e => e.Clone()).ToArray();
                if (row.Skip(1).All(v => v.ValueKind != JsonValueKind.Null) && accept(row))
                {
                    return row;
                }
            }

            await Task.Delay(250);
        }

        output.WriteLine(last);
        throw new Xunit.Sdk.XunitException($"No row of '{influxQl}' satisfied the condition within {Patience}; last answer: {last}");
    }
}
