using MQTTnet;
using MQTTnet.Formatter;

namespace ReactiveIngest.Simulator.Transport;

/// <summary>MQTT over TCP with MQTTnet: each connection is its own client with a clean session.</summary>
public sealed class MqttTransport(TransportOptions options) : ITransport
{
    private readonly MqttClientFactory _factory = new();

    /// <inheritdoc />
    public string Name => "mqtt";

    /// <inheritdoc />
    public async Task<ITransportConnection> ConnectAsync(string clientId, CancellationToken cancellationToken = default)
    {
        var client = _factory.CreateMqttClient();
        var clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId($"{options.ClientIdPrefix}-{clientId}")
            .WithProtocolVersion(options.MqttVersion == 5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSec))
            .WithTimeout(TimeSpan.FromSeconds(options.ConnectTimeoutSec))
            .Build();
        try
        {
            var result = await client.ConnectAsync(clientOptions, cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"The broker refused {clientId}: {result.ResultCode} {result.ReasonString}");
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return new MqttTransportConnection(client, (MQTTnet.Protocol.MqttQualityOfServiceLevel)options.Qos);
    }
}
