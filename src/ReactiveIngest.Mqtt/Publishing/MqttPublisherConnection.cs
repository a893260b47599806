using MQTTnet;
using ReactiveIngest.Mqtt.Connection;

namespace ReactiveIngest.Mqtt.Publishing;

/// <summary>
/// The client of one publisher materialization: connects lazily, and when a publish fails because the
/// connection is gone, reconnects with backoff and publishes the same message again (at least once).
/// </summary>
internal sealed class MqttPublisherConnection(MqttPublisherSettings settings) : IDisposable
{
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ReconnectBackoff _backoff = new(settings.Connection);
    private IMqttClient? _client;

    public long Published;

    public async Task PublishAsync(MqttOutgoingMessage message)
    {
        var applicationMessage = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload.ToArray())
            .WithQualityOfServiceLevel(settings.Qos)
            .WithRetainFlag(message.Retain)
            .Build();
        for (var attempt = 0; ; attempt++)
        {
            var client = await ConnectedClientAsync().ConfigureAwait(false);
            try
            {
                var result = await client.PublishAsync(applicationMessage, _stop.Token).ConfigureAwait(false);
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException($"The broker refused the publish to '{message.Topic}': {result.ReasonCode} {result.ReasonString}");
                }

                Interlocked.Increment(ref Published);
                return;
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or MQTTnet.Exceptions.MqttClientNotConnectedException or MQTTnet.Exceptions.MqttClientDisconnectedException && !_stop.IsCancellationRequested)
            {
                await Task.Delay(_backoff.Delay(attempt), _stop.Token).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _client?.Dispose();
        _stop.Dispose();
        _connectGate.Dispose();
    }

    private async Task<IMqttClient> ConnectedClientAsync()
    {
        await _connectGate.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; _client is not { IsConnected: true }; attempt++)
            {
                _client?.Dispose();
                _client = new MqttClientFactory().CreateMqttClient();
                try
                {
                    var options = MqttClientOptionsFactory.Create(settings.Connection, settings.Connection.ClientId, cleanStart: true, TimeSpan.Zero, receiveMaximum: null);
                    await _client.ConnectAsync(options, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException && !_stop.IsCancellationRequested)
                {
                    await Task.Delay(_backoff.Delay(attempt), _stop.Token).ConfigureAwait(false);
                }
            }

            return _client;
        }
        finally
        {
            _connectGate.Release();
        }
    }
}
