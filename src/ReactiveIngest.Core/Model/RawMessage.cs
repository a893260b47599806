namespace ReactiveIngest.Core.Model;

/// <summary>A message as a source received it, before decoding.</summary>
/// <param name="Payload">The bytes exactly as received.</param>
/// <param name="Context">Topic, arrival time and key.</param>
/// <param name="Source">The configured name of the source (e.g. <c>mqtt:devices</c>), used in dead letters and metrics.</param>
/// <param name="Partition">The input partition for watermarks: a Kafka partition, an MQTT connection; 0 when there is one.</param>
public sealed record RawMessage(ReadOnlyMemory<byte> Payload, MessageContext Context, string Source, int Partition = 0);
