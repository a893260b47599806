using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Simulator.Transport;
using ReactiveIngest.TestSupport.Servers;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.Transport;

/// <summary>
/// The MQTT transport's own publish client (QoS 0 and 1) against a real Mosquitto: acknowledged publishes arrive,
/// in both protocol versions, with far more publishes started than the broker's window; a dropped connection
/// settles every publish in flight and fails later ones. The broker allows 10 QoS 1 messages in flight per client,
/// which it announces as Receive Maximum in MQTT 5, so the MQTT 5 cases go through the client's window.
/// </summary>
public sealed class MqttTransportSpec(MqttTransportSpec.SmallWindowBroker broker) : IClassFixture<MqttTransportSpec.SmallWindowBroker>
{
    /// <summary>Mosquitto with a small in-flight window and no queue limit for the verifying subscriber.</summary>
    public sealed class SmallWindowBroker() : MosquittoFixture(["max_inflight_messages 10", "max_queued_messages 0"]);

    [Theory]
    [InlineData(5, 1, 3000)]
    [InlineData(311, 1, 3000)]
    [InlineData(5, 0, 300)]
    [InlineData(311, 0, 300)]
    public async Task Every_accepted_publish_should_reach_a_subscriber(int version, int qos, int count)
    {
        var topic = $"spec/{version}/{qos}/{Guid.NewGuid():N}";
        var received = new ConcurrentDictionary<string, int>();
        using var subscriber = await SubscribeAsync(topic, received);
        var transport = new MqttTransport(new TransportOptions { Host = broker.Server.Host, Port = broker.Server.Port, Qos = qos, MqttVersion = version, ClientIdPrefix = "spec" });
        await using var connection = await transport.ConnectAsync(Guid.NewGuid().ToString("N"));

        // Far more publishes started than the broker's window of 10: in MQTT 5 the client holds them back.
        var publishes = Enumerable.Range(0, count)
            .Select(i => connection.PublishAsync(topic, "device", Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture))))
            .ToList();
        var accepted = await Task.WhenAll(publishes).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.All(accepted, Assert.True);
        Assert.True(connection.IsConnected);
        await EventuallyAsync(() => received.Count == count, TimeSpan.FromMinutes(1));
        Assert.Equal(Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal), received.Keys.Order(StringComparer.Ordinal));
        Assert.All(received.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_dropped_connection_should_fail_later_publishes_and_report_itself_closed()
    {
        var transport = new MqttTransport(new TransportOptions { Host = broker.Server.Host, Port = broker.Server.Port, Qos = 1, ClientIdPrefix = "spec" });
        var connection = await transport.ConnectAsync(Guid.NewGuid().ToString("N"));
        Assert.True(await connection.PublishAsync("spec/drop", "device", "before"u8.ToArray()));

        var inFlight = Enumerable.Range(0, 200).Select(_ => connection.PublishAsync("spec/drop", "device", "racing"u8.ToArray())).ToList();
        await connection.CloseAsync(graceful: false);

        Assert.False(connection.IsConnected);
        await Assert.ThrowsAsync<IOException>(() => connection.PublishAsync("spec/drop", "device", "after"u8.ToArray()));
        foreach (var publish in inFlight)
        {
            // Each one was either acknowledged before the drop or failed by it; none is left pending.
            var outcome = await Task.WhenAny(publish, Task.Delay(TimeSpan.FromMinutes(1)));
            Assert.Same(publish, outcome);
            if (publish.IsFaulted)
            {
                Assert.IsType<IOException>(publish.Exception!.InnerException);
            }
            else
            {
                Assert.True(await publish);
            }
        }
    }

    private async Task<IMqttClient> SubscribeAsync(string topic, ConcurrentDictionary<string, int> received)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.AddOrUpdate(Encoding.UTF8.GetString(e.ApplicationMessage.Payload), 1, (_, n) => n + 1);
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(broker.Server.Host, broker.Server.Port).WithClientId($"spec-sub-{Guid.NewGuid():N}").Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return client;
    }

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the condition did not hold within " + timeout);
    }
}
