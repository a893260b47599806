using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Broker;
using ReactiveIngest.Mqtt.Publishing;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Mqtt.Source;
using ReactiveIngest.Streams.Delivery;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Mqtt.Tests.Broker;

public sealed class EmbeddedMqttBrokerSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    [Fact]
    public async Task Embedded_broker_should_carry_messages_from_the_publisher_sink_to_the_source_and_stop()
    {
        await using var broker = await EmbeddedMqttBroker.StartAsync();
        Assert.True(broker.Port > 0);
        var settings = MqttSourceSettings.Builder().WithBroker(broker.Host, broker.Port).WithClientId("demo-ingest").WithTopic("demo/#").Build();
        var received = new ConcurrentQueue<string>();
        var control = MqttSource.Create(settings)
            .Select(e =>
            {
                received.Enqueue(e.Payload.Context.Topic);
                e.Ack.Release();
                return e;
            })
            .To(Sink.Ignore<Envelope<RawMessage>>())
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        var publisher = new MqttPublisherSettings { Connection = new MqttConnectionSettings { Host = broker.Host, Port = broker.Port, ClientId = "demo-pub" } };

        await Akka.Streams.Dsl.Source.From(Enumerable.Range(0, 50))
            .Select(i => new Envelope<MqttOutgoingMessage>(new MqttOutgoingMessage($"demo/{i}", new byte[] { 1 }), AckHandle.None))
            .RunWith(MqttPublisher.Sink(publisher), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));

        await Support.Eventually.TrueAsync(() => control.Statistics.Acknowledged == 50, "50 acknowledged");
        // The publisher keeps up to MaxInFlight publishes open at once, so the broker may see them in another order.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"demo/{i}").Order(), received.Order());
        await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await broker.StopAsync();
        using var probe = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync(broker.Host, broker.Port));
    }
}
