using ReactiveIngest.TestSupport.Journal;
using System.Globalization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.EndToEnd;

/// <summary>
/// The service is stopped gracefully mid-stream while devices keep publishing, then started again with the same
/// MQTT client id: raw points and window aggregates in InfluxDB must equal the ground truth, with nothing lost and
/// no window overwritten by a partial result. Run in both modes that redeliver open windows: Redeliver stores nothing
/// of the open window at the stop, Provisional stores it partially and the restart overwrites it exactly.
/// </summary>
public sealed class ShutdownRestartSpec(MosquittoFixture mosquitto, InfluxFixture influx, ITestOutputHelper output)
    : IClassFixture<MosquittoFixture>, IClassFixture<InfluxFixture>
{
    private static readonly string[] Metrics = ["temperature", "humidity"];

    [Theory]
    [InlineData(OpenWindowsOnShutdown.Provisional)]
    [InlineData(OpenWindowsOnShutdown.Redeliver)]
    public async Task Stopping_and_restarting_mid_stream_should_lose_nothing_and_keep_every_window_complete(OpenWindowsOnShutdown mode)
    {
        using var brokerLog = mosquitto.Server.Log.CaptureTo(output, "mosquitto");
        var db = await influx.Server.CreateDatabaseAsync("restart");
        var run = Guid.NewGuid().ToString("N")[..8];
        var baseMs = (DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds() / 10_000) * 10_000;
        var settings = new Dictionary<string, string>
        {
            ["ReactiveIngest:Sources:Mqtt:0:Name"] = "mqtt:restart",
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Host"] = mosquitto.Server.Host,
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Port"] = mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Sources:Mqtt:0:Connection:ClientId"] = $"restart-{run}",
            ["ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter"] = $"restart/{run}/+",
            ["ReactiveIngest:Sources:Http:Enabled"] = "false",
            ["ReactiveIngest:Influx:Url"] = influx.Server.BaseAddress.ToString(),
            ["ReactiveIngest:Influx:Database"] = db,
            ["ReactiveIngest:Influx:FlushInterval"] = "00:00:00.200",
            ["ReactiveIngest:Pipeline:Windows:0:Name"] = "10s",
            ["ReactiveIngest:Pipeline:Windows:0:Size"] = "00:00:10",
            ["ReactiveIngest:Pipeline:OutOfOrderness"] = "00:00:01",
            // First life: long enough that the wall-clock fallback (all inputs idle) cannot close the open window
            // [20,30) of this 10-minute-old data before the stop on a loaded machine; that would store and acknowledge
            // it as final, and the readings 25..29 sent during the downtime would then overwrite it partially.
            ["ReactiveIngest:Pipeline:IdleTimeout"] = "00:01:00",
            ["ReactiveIngest:Pipeline:OpenWindowsOnShutdown"] = mode.ToString(),
        };
        // Both lives share one journal: what the first took from the broker and did not finish is replayed from it.
        var journal = TestJournalDirectory.New();
        WebApplicationFactory<Program> Start() => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, journal);
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId($"restart-pub-{run}").Build());
        var sent = new List<(string Device, string Metric, long TimeMs, double Value)>();
        async Task PublishSecondsAsync(int from, int to)
        {
            for (var s = from; s < to; s++)
            {
                for (var d = 0; d < 3; d++)
                {
                    var t = baseMs + (s * 1000L) + d;
                    var values = Metrics.Select((m, mi) => (m, v: (mi * 100) + d + (s % 7))).ToList();
                    sent.AddRange(values.Select(x => ($"d{d}", x.m, t, (double)x.v)));
                    var payload = $"{{\"deviceId\":\"d{d}\",\"ts\":{t},{string.Join(",", values.Select(x => string.Create(CultureInfo.InvariantCulture, $"\"{x.m}\":{x.v}")))}}}";
                    var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"restart/{run}/d{d}").WithPayload(payload)
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                    Assert.True(result.IsSuccess, result.ReasonString);
                }
            }
        }

        // First life: 25 seconds of data; windows [0,10) and [10,20) close, [20,30) is open at the stop.
        var first = Start();
        _ = first.Services; // starts the host
        var pipeline = first.Services.GetRequiredService<RunningInputs>();
        await pipeline.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        await PublishSecondsAsync(0, 25);
        var closed = sent.Where(x => x.TimeMs < baseMs + 20_000).GroupBy(x => (x.Device, x.Metric, x.TimeMs / 10_000 * 10_000)).ToDictionary(g => g.Key, g => (long)g.Count());
        await StoredData.WindowsAsync(influx.Server, db, closed);
        Assert.Equal(2 * 3 * Metrics.Length, closed.Count);
        await first.DisposeAsync(); // graceful stop: the open window's messages are not acknowledged
        if (mode == OpenWindowsOnShutdown.Provisional)
        {
            // Seconds 20..24 were in flight: the open window [20,30) is stored provisionally, with part of its readings.
            var openStart = baseMs + 20_000;
            var stored = await StoredData.WindowsAsync(influx.Server, db, "the provisional windows [20,30)", found =>
                found.Keys.Count(k => k.StartMs == openStart) == 3 * Metrics.Length ? null : $"{found.Keys.Count(k => k.StartMs == openStart)} of {3 * Metrics.Length} stored");
            var open = stored.Where(w => w.Key.StartMs == openStart).ToList();
            Assert.Equal(3 * Metrics.Length, open.Count);
            Assert.All(open, w => Assert.InRange(w.Value.Count, 1, 5));
        }

        // While the service is down the devices keep publishing; the broker keeps them for the persistent session.
        await PublishSecondsAsync(25, 40);

        // Second life, same client id; a short idle timeout lets the last window close by wall clock.
        settings["ReactiveIngest:Pipeline:IdleTimeout"] = "00:00:05";
        await using var second = Start();
        var restarted = second.Services.GetRequiredService<RunningInputs>();
        await restarted.Ready.WaitAsync(TimeSpan.FromSeconds(60));
        await PublishSecondsAsync(40, 60);

        var expectedWindows = sent.GroupBy(x => (x.Device, x.Metric, x.TimeMs / 10_000 * 10_000))
            .ToDictionary(g => g.Key, g => (Count: (long)g.Count(), Sum: g.Sum(x => x.Value)));

        // Waits for the final counts: in Provisional mode the window [20,30) is stored before the restart, and only
        // its count tells the overwrite from the provisional row.
        var raw = await StoredData.RawAsync(influx.Server, db, Metrics, sent.GroupBy(x => (x.Device, x.Metric)).ToDictionary(g => g.Key, g => (long)g.Count()));
        foreach (var group in sent.GroupBy(x => (x.Device, x.Metric)))
        {
            Assert.Equal(group.Count(), raw[group.Key].Count);
            Assert.Equal(group.Sum(x => x.Value), raw[group.Key].Sum, 6);
        }

        var windows = await StoredData.WindowsAsync(influx.Server, db, expectedWindows.ToDictionary(w => w.Key, w => w.Value.Count));
        foreach (var (key, expected) in expectedWindows)
        {
            Assert.True(windows.TryGetValue(key, out var actual), $"window {key} missing");
            Assert.True(expected.Count == actual.Count, $"window {key} (start {key.Item3 - baseMs} ms after the first) holds {actual.Count} readings, expected {expected.Count}");
            Assert.Equal(expected.Sum, actual.Sum, 6);
        }
    }
}
