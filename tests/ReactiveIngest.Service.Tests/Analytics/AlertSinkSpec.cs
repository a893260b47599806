using System.Collections.Concurrent;
using System.Globalization;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Configuration;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Analytics;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.TestSupport.Servers;
using Xunit;

namespace ReactiveIngest.Service.Tests.Analytics;

/// <summary>The alert sink against the real Mosquitto: how it holds and releases the source message's handle.</summary>
public sealed class AlertSinkSpec(MosquittoFixture mosquitto) : IClassFixture<MosquittoFixture>, IAsyncLifetime
{
    private readonly ActorSystem _system = ActorSystem.Create("alert-sink-spec");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _system.Terminate();

    [Fact]
    public async Task A_batch_should_be_acknowledged_once_after_its_alert_events_were_acknowledged_by_the_broker()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var received = new ConcurrentQueue<string>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId($"sink-sub-{run}").Build());
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter($"sink/{run}", MqttQualityOfServiceLevel.AtLeastOnce).Build());

        var catalog = Catalog(mosquitto.Server.Port, $"sink/{run}");

        // Batch 1 raises for two devices (two events), batch 2 raises nothing.
        var releases = new int[2];
        var handles = new[] { new CallbackAckHandle(() => Interlocked.Increment(ref releases[0])), new CallbackAckHandle(() => Interlocked.Increment(ref releases[1])) };
        var batches = new[]
        {
            new Envelope<ReadingBatch>(new ReadingBatch([new Reading("x1", "temperature", 1_000, 60), new Reading("x2", "temperature", 1_000, 70), new Reading("x3", "humidity", 1_000, 99)]), handles[0]),
            new Envelope<ReadingBatch>(new ReadingBatch([new Reading("x1", "temperature", 2_000, 55)]), handles[1]),
        };
        var done = Source.From(batches).RunWith(AlertSink.Create(catalog), _system.Materializer());
        await done.WaitAsync(TimeSpan.FromSeconds(60));

        // The sink completes only after every publish was acknowledged, and each handle is released exactly once.
        Assert.Equal([1, 1], releases);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{received.Count} of 2 events reached the subscriber");
            await Task.Delay(50);
        }

        Assert.Equal(["x1", "x2"], received.Select(j => System.Text.Json.JsonDocument.Parse(j).RootElement.GetProperty("device").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_batch_whose_alert_cannot_be_published_should_stay_unacknowledged_while_later_batches_without_alerts_are_released()
    {
        var unreachable = FreePort.Next();
        var releases = new int[2];
        var batches = new[]
        {
            new Envelope<ReadingBatch>(new ReadingBatch([new Reading("x1", "temperature", 1_000, 60)]), new CallbackAckHandle(() => Interlocked.Increment(ref releases[0]))),
            new Envelope<ReadingBatch>(new ReadingBatch([new Reading("x2", "temperature", 1_000, 20)]), new CallbackAckHandle(() => Interlocked.Increment(ref releases[1]))),
        };
        var (kill, _) = Source.From(batches).ViaMaterialized(KillSwitches.Single<Envelope<ReadingBatch>>(), Keep.Right)
            .ToMaterialized(AlertSink.Create(Catalog(unreachable, "sink/unreachable", maxInFlight: 2)), Keep.Both)
            .Run(_system.Materializer());

        // With room for two publishes in flight, batch 2 is evaluated while batch 1's alert waits for a broker that is not
        // there (with one, the alert branch would rightly backpressure before batch 2). Once batch 2 is released, batch 1
        // must still be held.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref releases[1]) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the batch without alerts was not released");
            await Task.Delay(50);
        }

        Assert.Equal(0, Volatile.Read(ref releases[0]));
        kill.Abort(new OperationCanceledException("test over"));
    }

    private static AlertCatalog Catalog(int port, string topic, int maxInFlight = 1) =>
        AlertCatalog.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReactiveIngest:Alerts:Targets:0:Name"] = "t",
            ["ReactiveIngest:Alerts:Targets:0:Type"] = "Mqtt",
            ["ReactiveIngest:Alerts:Targets:0:Topic"] = topic,
            ["ReactiveIngest:Alerts:Targets:0:MaxInFlight"] = maxInFlight.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Alerts:Targets:0:Connection:Host"] = "127.0.0.1",
            ["ReactiveIngest:Alerts:Targets:0:Connection:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Alerts:Rules:0:Name"] = "hot",
            ["ReactiveIngest:Alerts:Rules:0:Type"] = "Threshold",
            ["ReactiveIngest:Alerts:Rules:0:Metric"] = "temperature",
            ["ReactiveIngest:Alerts:Rules:0:High"] = "50",
            ["ReactiveIngest:Alerts:Rules:0:Clear"] = "40",
        }).Build());
}
