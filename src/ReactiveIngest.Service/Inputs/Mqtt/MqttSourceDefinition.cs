using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Service.Inputs.Mqtt;

/// <summary>One configured MQTT source: <c>ReactiveIngest:Sources:Mqtt:N</c>, its settings and its codec.</summary>
/// <param name="Key">The configuration path, for error messages.</param>
/// <param name="Settings">Connection, subscriptions, flow control.</param>
/// <param name="Codec">How payloads are decoded.</param>
/// <param name="Limits">Limits enforced at the edge (<see cref="InputLimits.MaxMessageBytes"/>).</param>
public sealed record MqttSourceDefinition(string Key, MqttSourceSettings Settings, CodecDefinition Codec, InputLimits Limits);
