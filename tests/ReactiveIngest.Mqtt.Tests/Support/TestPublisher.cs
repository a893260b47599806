using ReactiveIngest.Simulator.Servers;
using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Mqtt.Tests.Support;

/// <summary>
/// Publishes numbered JSON messages (<c>{"deviceId":"d1","seq":N,...}</c>) at QoS 1 and retries each one
/// (reconnecting) until the broker acknowledges it, so it keeps going across a broker restart.
/// </summary>
internal sealed class TestPublisher(MosquittoServer server) : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly string _clientId = $"test-pub-{Guid.NewGuid():N}";

    public static byte[] Payload(int seq) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"deviceId\":\"d1\",\"seq\":{seq},\"value\":{seq * 0.5}}}"));

    public static int SeqOf(ReadOnlyMemory<byte> payload)
    {
        using var json = System.Text.Json.JsonDocument.Parse(payload);
        return json.RootElement.GetProperty("seq").GetInt32();
    }

    public async Task PublishAsync(string topic, int from, int count, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce, Func<int, byte[]>? payload = null, CancellationToken cancellationToken = default)
    {
        for (var seq = from; seq < from + count; seq++)
        {
            await PublishOneAsync(topic, (payload ?? Payload)(seq), qos, cancellationToken);
        }
    }

    public async Task PublishOneAsync(string topic, byte[] payload, MqttQualityOfServiceLevel qos, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await _client.ConnectAsync(
                        new MqttClientOptionsBuilder()
                            .WithTcpServer(server.Host, server.Port)
                            .WithClientId(_clientId)
                            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
                            .Build(),
                        cancellationToken);
                }

                var result = await _client.PublishAsync(
                    new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(qos).Build(),
                    cancellationToken);
                if (result.IsSuccess)
                {
                    return;
                }
            }
            catch (Exception) when (DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                // The broker is restarting: wait for it and publish again (at least once).
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public void Dispose() => _client.Dispose();
}
