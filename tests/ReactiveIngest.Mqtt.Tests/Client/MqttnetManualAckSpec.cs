using System.Buffers;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ReactiveIngest.Mqtt.Tests.Support;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Mqtt.Tests.Client;

/// <summary>
/// Pins down the MQTTnet 5 behaviour the source relies on: with AutoAcknowledge off the client keeps
/// delivering while earlier messages are unacknowledged, up to the Receive Maximum; and a message whose
/// connection is gone cannot be acknowledged later, so the broker redelivers it.
/// </summary>
public sealed class MqttnetManualAckSpec(PersistentMosquittoFixture broker, ITestOutputHelper output) : IClassFixture<PersistentMosquittoFixture>
{
    [Fact]
    public async Task Client_should_deliver_unacknowledged_messages_up_to_receive_maximum_and_more_after_an_ack()
    {
        using var log = broker.Server.Log.CaptureTo(output, "mosquitto");
        var topic = TestSettings.NewTopic();
        var held = new List<MqttApplicationMessageReceivedEventArgs>();
        using var subscriber = new MqttClientFactory().CreateMqttClient();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = false;
            lock (held)
            {
                held.Add(e);
            }

            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(Options($"ack-{Guid.NewGuid():N}", cleanStart: true, receiveMaximum: 5));
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        using var publisher = new TestPublisher(broker.Server);
        await publisher.PublishAsync(topic, 0, 12);

        await Eventually.TrueAsync(() => Count(held) == 5, "five unacknowledged messages");
        await Task.Delay(500); // give the broker a chance to overrun the window (it must not)
        Assert.Equal(5, Count(held));

        MqttApplicationMessageReceivedEventArgs first;
        lock (held)
        {
            first = held[0];
        }

        await first.AcknowledgeAsync(CancellationToken.None);

        // Mosquitto 2.0.11 refills its whole window after one PUBACK (observed: 5 more arrive while 4 are
        // still unacknowledged), so Receive Maximum alone does not bound what a client holds: the source
        // keeps its own bound (AckSession) and stops taking messages when it is reached.
        await Eventually.TrueAsync(() => Count(held) > 5, "more messages after one acknowledgement");
    }

    [Fact]
    public async Task Message_of_a_lost_connection_cannot_be_acknowledged_and_is_redelivered_to_the_next_connection()
    {
        using var log = broker.Server.Log.CaptureTo(output, "mosquitto");
        var topic = TestSettings.NewTopic();
        var clientId = $"redeliver-{Guid.NewGuid():N}";
        var firstArrived = new TaskCompletionSource<MqttApplicationMessageReceivedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var old = new MqttClientFactory().CreateMqttClient();
        old.ApplicationMessageReceivedAsync += e =>
        {
            e.AutoAcknowledge = false;
            firstArrived.TrySetResult(e);
            return Task.CompletedTask;
        };
        await old.ConnectAsync(Options(clientId, cleanStart: true, receiveMaximum: 10));
        await old.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        using var publisher = new TestPublisher(broker.Server);
        await publisher.PublishAsync(topic, 0, 1);
        var stale = await firstArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        old.Dispose(); // drop the socket without DISCONNECT, as a crash would
        await Assert.ThrowsAnyAsync<Exception>(() => stale.AcknowledgeAsync(CancellationToken.None));

        var redelivered = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var next = new MqttClientFactory().CreateMqttClient();
        next.ApplicationMessageReceivedAsync += e =>
        {
            redelivered.TrySetResult(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        var result = await next.ConnectAsync(Options(clientId, cleanStart: false, receiveMaximum: 10));
        Assert.True(result.IsSessionPresent);
        var message = await redelivered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, TestPublisher.SeqOf(message.Payload.ToArray()));
        Assert.True(message.Dup);
    }

    private static int Count(List<MqttApplicationMessageReceivedEventArgs> held)
    {
        lock (held)
        {
            return held.Count;
        }
    }

    private MqttClientOptions Options(string clientId, bool cleanStart, ushort receiveMaximum) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Server.Host, broker.Server.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(cleanStart)
            .WithSessionExpiryInterval(600)
            .WithReceiveMaximum(receiveMaximum)
            .Build();
}
