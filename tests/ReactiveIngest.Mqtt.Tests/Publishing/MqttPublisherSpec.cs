using ReactiveIngest.TestSupport.Servers;
using System.Buffers;
using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Mqtt.Publishing;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Mqtt.Tests.Support;
using ReactiveIngest.Streams.Delivery;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Mqtt.Tests.Publishing;

public sealed class MqttPublisherSpec : Akka.TestKit.Xunit2.TestKit, IClassFixture<PersistentMosquittoFixture>
{
    private readonly PersistentMosquittoFixture _broker;
    private readonly IDisposable _log;

    public MqttPublisherSpec(PersistentMosquittoFixture broker, ITestOutputHelper output)
        : base(output: output)
    {
        _broker = broker;
        _log = broker.Server.Log.CaptureTo(output, "mosquitto");
    }

    [Fact]
    public async Task Sink_should_publish_every_message_and_release_each_handle_after_the_broker_acknowledged_it()
    {
        var topic = TestSettings.NewTopic();
        var received = new ConcurrentQueue<string>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(System.Text.Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Server.Host, _broker.Server.Port).WithClientId($"sub-{Guid.NewGuid():N}").Build());
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var released = 0;
        var settings = new MqttPublisherSettings
        {
            Connection = new MqttConnectionSettings { Host = _broker.Server.Host, Port = _broker.Server.Port, ClientId = $"pub-{Guid.NewGuid():N}" },
            Qos = MqttQualityOfServiceLevel.AtLeastOnce,
            MaxInFlight = 8,
        };

        var done = Akka.Streams.Dsl.Source.From(Enumerable.Range(0, 200))
            .Select(i => new Envelope<MqttOutgoingMessage>(
                new MqttOutgoingMessage($"{topic}", System.Text.Encoding.UTF8.GetBytes($"alert-{i}")),
                new CallbackAckHandle(() => Interlocked.Increment(ref released))))
            .RunWith(MqttPublisher.Sink(settings), Sys.Materializer());

        await done.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(200, Volatile.Read(ref released));
        await Eventually.TrueAsync(() => received.Count == 200, "200 messages at the subscriber");
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"alert-{i}"), received.Order(StringComparer.Ordinal).OrderBy(s => int.Parse(s[6..], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Publisher_should_reject_invalid_settings_naming_them()
    {
        var error = Assert.Throws<MqttSettingsException>(() => MqttPublisher.Sink(new MqttPublisherSettings { MaxInFlight = 0 }));
        Assert.Contains(error.Errors, e => e.StartsWith("MaxInFlight:", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Connection.ClientId:", StringComparison.Ordinal));
    }

    protected override void Dispose(bool disposing)
    {
        _log.Dispose();
        base.Dispose(disposing);
    }
}
