namespace ReactiveIngest.Mqtt.Settings;

/// <summary>The MQTT protocol version a client speaks.</summary>
public enum MqttProtocol
{
    /// <summary>MQTT 3.1.1: no Receive Maximum, persistent sessions via CleanSession = false.</summary>
    V311 = 4,

    /// <summary>MQTT 5: Receive Maximum (broker-side flow control), session expiry interval.</summary>
    V500 = 5,
}
