using ReactiveIngest.Simulator.Servers;
using System.Buffers;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.IntegrationTests.Smoke;

/// <summary>The real Mosquitto from the fixture carries QoS 1 messages between two MQTTnet clients.</summary>
public sealed class MosquittoSmokeSpec(MosquittoFixture broker, ITestOutputHelper output) : IClassFixture<MosquittoFixture>
{
    [Fact]
    public async Task Messages_published_through_mosquitto_should_arrive_at_a_subscriber_in_order()
    {
        using var log = broker.Server.Log.CaptureTo(output, "mosquitto");
        var factory = new MqttClientFactory();
        using var subscriber = factory.CreateMqttClient();
        using var publisher = factory.CreateMqttClient();
        var topic = $"smoke/{Guid.NewGuid():N}";
        var received = new List<string>();
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int count = 50;
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            lock (received)
            {
                received.Add(Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()));
                if (received.Count == count)
                {
                    allArrived.TrySetResult();
                }
            }

            return Task.CompletedTask;
        };

        await subscriber.ConnectAsync(Options(broker.Server, "smoke-sub"));
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic(topic).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build());
        await publisher.ConnectAsync(Options(broker.Server, "smoke-pub"));
        for (var i = 0; i < count; i++)
        {
            var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload($"{{\"deviceId\":\"d1\",\"seq\":{i}}}")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            Assert.True(result.IsSuccess, result.ReasonString);
        }

        await allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"{{\"deviceId\":\"d1\",\"seq\":{i}}}"), received);
    }

    [Fact]
    public async Task A_retained_message_should_survive_a_broker_restart_because_persistence_is_writable()
    {
        await using var server = new MosquittoServer();
        using var log = server.Log.CaptureTo(output, "mosquitto (own)");
        await server.StartAsync();
        var factory = new MqttClientFactory();
        var topic = $"retained/{Guid.NewGuid():N}";
        using (var publisher = factory.CreateMqttClient())
        {
            await publisher.ConnectAsync(Options(server, "retain-pub"));
            await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("kept")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag().Build());
            await publisher.DisconnectAsync();
        }

        await server.RestartAsync();
        using var subscriber = factory.CreateMqttClient();
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await subscriber.ConnectAsync(Options(server, "retain-sub"));
        await subscriber.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        Assert.Equal("kept", await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain(server.Log.Since(0), line => line.Contains("Permission denied", StringComparison.Ordinal));
    }

    private static MqttClientOptions Options(MosquittoServer server, string clientId) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer(server.Host, server.Port)
            .WithClientId($"{clientId}-{Guid.NewGuid():N}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build();
}
