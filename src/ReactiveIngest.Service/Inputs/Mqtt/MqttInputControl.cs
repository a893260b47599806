using ReactiveIngest.Mqtt.Source;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>Stops an MQTT source: DISCONNECT keeps the session, so unacknowledged messages are redelivered.</summary>
internal sealed class MqttSourceControlAdapter(IMqttSourceControl control) : ISourceControl
{
    public IMqttSourceControl Control => control;

    public Task StopAsync(CancellationToken cancellationToken) => control.StopAsync(cancellationToken);
}
