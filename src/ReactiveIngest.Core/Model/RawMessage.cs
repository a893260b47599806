namespace ReactiveIngest.Core.Model;

/// <summary>A message as a source received it, before decoding.</summary>
/// <param name="Payload">The bytes exactly as received.</param>
/// <param name="Context">Topic, arrival time and key.</param>
/// <param name="Source">The configured name of the source (e.g. <c>mqtt:devices</c>), used in dead letters and metrics.</param>
/// <param name="Partition">The input partition for watermarks: a Kafka partition, an MQTT connection; 0 when there is one.</param>
/// <param name="OversizeBytes">
/// 0 for a whole message. When the message was larger than its input's <c>MaxMessageBytes</c>, its full size in bytes:
/// <paramref name="Payload"/> then holds only its first bytes, and the decode stage dead-letters it with reason
/// <c>TooLarge</c> (see <c>MessageSizeLimit</c>).
/// </param>
public sealed record RawMessage(ReadOnlyMemory<byte> Payload, MessageContext Context, string Source, int Partition = 0, long OversizeBytes = 0)
{
    /// <summary>True when this is the head of a message cut at its input's size limit (<see cref="OversizeBytes"/> &gt; 0).</summary>
    public bool IsOversize => OversizeBytes > 0;
}
