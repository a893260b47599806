using MQTTnet;
using MQTTnet.Formatter;

namespace ReactiveIngest.Simulator.Transport;

/// <summary>
/// MQTT over TCP, each connection its own client with a clean session. QoS 0 and 1 use
/// <see cref="DirectMqttConnection"/>, a publish-only client that costs a fraction of a general client's CPU per
/// message; QoS 2 uses MQTTnet on a channel that coalesces writes (<see cref="CoalescingMqttChannel"/>). Both
/// send many PUBLISH packets per system call on a busy connection.
/// </summary>
public sealed class MqttTransport(TransportOptions options) : ITransport
{
    private readonly MqttClientFactory _factory = new();
    private readonly CoalescingAdapterFactory _adapters = new();

    /// <inheritdoc />
    public string Name => "mqtt";

    /// <inheritdoc />
    public async Task<ITransportConnection> ConnectAsync(string clientId, CancellationToken cancellationToken = default)
    {
        if (options.Qos <= 1)
        {
            return await DirectMqttConnection.ConnectAsync(options, $"{options.ClientIdPrefix}-{clientId}", cancellationToken);
        }

        var client = _factory.CreateMqttClient(_adapters);
        var clientOptions = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId($"{options.ClientIdPrefix}-{clientId}")
            .WithProtocolVersion(options.MqttVersion == 5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSec))
            .WithTimeout(TimeSpan.FromSeconds(options.ConnectTimeoutSec))
            .Build();
        MqttClientConnectResult result;
        try
        {
            result = await client.ConnectAsync(clientOptions, cancellationToken);
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

        // MQTT 5: the broker's Receive Maximum bounds our QoS 1/2 publishes in flight (Mosquitto's default is 20);
        // exceeding it is a protocol error that ends the connection.
        var receiveMaximum = options.MqttVersion == 5 && options.Qos > 0 ? result.ReceiveMaximum ?? 0 : 0;
        return new MqttTransportConnection(client, (MQTTnet.Protocol.MqttQualityOfServiceLevel)options.Qos, receiveMaximum);
    }
}
