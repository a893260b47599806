using MQTTnet;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Mqtt.Connection;

/// <summary>
/// The acknowledgement handle of one received QoS 1/2 message. Releasing it marks the message done in
/// its <see cref="AckSession"/>, which sends the PUBACK/PUBREC once every earlier message is done too.
/// </summary>
internal sealed class PendingAck(AckSession session, MqttApplicationMessageReceivedEventArgs message) : AckHandle
{
    public MqttApplicationMessageReceivedEventArgs Message { get; } = message;

    /// <summary>Set under the session's lock when the last reference was released.</summary>
    public bool Done { get; set; }

    protected override void OnReleased() => session.OnReleased(this);
}
