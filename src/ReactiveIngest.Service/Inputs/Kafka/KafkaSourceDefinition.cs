using ReactiveIngest.Kafka.Consumer;

namespace ReactiveIngest.Service.Inputs.Kafka;

/// <summary>One configured Kafka source: <c>ReactiveIngest:Sources:Kafka:N</c>, its consumer settings and codec.</summary>
/// <param name="Key">The configuration path, for error messages.</param>
/// <param name="Settings">Bootstrap servers, group, topics, librdkafka properties, flow control.</param>
/// <param name="Codec">How record values are decoded.</param>
/// <param name="Limits">Limits enforced at the edge (<see cref="InputLimits.MaxMessageBytes"/>).</param>
public sealed record KafkaSourceDefinition(string Key, KafkaConsumerSettings Settings, CodecDefinition Codec, InputLimits Limits);
