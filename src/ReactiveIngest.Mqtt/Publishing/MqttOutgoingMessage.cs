namespace ReactiveIngest.Mqtt.Publishing;

/// <summary>A message to publish: topic, bytes, and whether the broker should retain it.</summary>
public sealed record MqttOutgoingMessage(string Topic, ReadOnlyMemory<byte> Payload, bool Retain = false);
