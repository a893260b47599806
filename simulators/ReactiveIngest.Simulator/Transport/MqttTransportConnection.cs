using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;

namespace ReactiveIngest.Simulator.Transport;

/// <summary>
/// One MQTTnet client publishing at a fixed QoS. When the broker announced a Receive Maximum (MQTT 5, QoS &gt; 0),
/// publishes beyond it wait here for an acknowledgement, whatever window the caller allows.
/// </summary>
internal sealed class MqttTransportConnection(IMqttClient client, MqttQualityOfServiceLevel qos, int receiveMaximum) : ITransportConnection
{
    private readonly SemaphoreSlim? _receiveWindow = receiveMaximum is > 0 and < ushort.MaxValue ? new SemaphoreSlim(receiveMaximum, receiveMaximum) : null;
    private int _closed;

    /// <inheritdoc />
    public bool IsConnected => Volatile.Read(ref _closed) == 0 && client.IsConnected;

    /// <inheritdoc />
    public async Task<bool> PublishAsync(string topic, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var message = new MqttApplicationMessage
        {
            Topic = topic,
            Payload = new ReadOnlySequence<byte>(payload),
            QualityOfServiceLevel = qos,
        };
        if (_receiveWindow is null)
        {
            return (await client.PublishAsync(message, cancellationToken)).IsSuccess;
        }

        await _receiveWindow.WaitAsync(cancellationToken);
        try
        {
            return (await client.PublishAsync(message, cancellationToken)).IsSuccess;
        }
        finally
        {
            _receiveWindow.Release();
        }
    }

    /// <inheritdoc />
    public async Task CloseAsync(bool graceful, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            if (graceful && client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), cancellationToken);
            }
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone; nothing to close.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await CloseAsync(graceful: true);
}
