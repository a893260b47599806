using ReactiveIngest.Mqtt.Source;

namespace ReactiveIngest.Service.Inputs.Mqtt;

/// <summary>An MQTT source's control: ready once connected and subscribed; stopping sends DISCONNECT, which keeps the session, so unacknowledged messages are redelivered.</summary>
internal sealed class MqttInputControl(IMqttSourceControl control) : IInputControl
{
    public Task Ready => control.Subscribed;

    public string? Failure => control.Completion.IsFaulted ? $"failed: {control.Completion.Exception!.GetBaseException().Message}" : null;

    public long? InFlight => control.Statistics.InFlight;

    public long? Lag => null;

    public IReadOnlyList<KeyValuePair<string, long>> Figures
    {
        get
        {
            var s = control.Statistics;
            return [new("acknowledged", s.Acknowledged), new("qos0_dropped", s.Qos0Dropped), new("reconnects", s.Reconnects)];
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => control.StopAsync(cancellationToken);
}
