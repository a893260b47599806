using System.Buffers;
using System.Text.Json;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>
/// The record written to every durable dead-letter target, one JSON object (one line in the file target):
/// <code>
/// {"reason":"MalformedPayload","reasonCode":1,"detail":"…","source":"mqtt:devices","topic":"devices/d1",
///  "key":null,"partition":0,"offset":42,"receivedAt":"2025-01-01T00:00:00.0000000+00:00","receivedAtNs":…,
///  "payload":"base64 of the original bytes"}
/// </code>
/// <c>partition</c> and <c>offset</c> are present for messages from Kafka sources only; <c>payload</c> is empty for a
/// reading that arrived too late (its message was stored as raw points).
/// </summary>
public static class DeadLetterJson
{
    /// <summary>Serializes <paramref name="deadLetter"/>; <paramref name="ack"/> supplies the Kafka partition and offset when it is a Kafka handle.</summary>
    public static byte[] Serialize(DeadLetter deadLetter, AckHandle ack)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        var buffer = new ArrayBufferWriter<byte>(256 + (deadLetter.Payload.Length * 4 / 3) + deadLetter.Detail.Length);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("reason", deadLetter.Reason.ToString());
            json.WriteNumber("reasonCode", (int)deadLetter.Reason);
            json.WriteString("detail", deadLetter.Detail);
            json.WriteString("source", deadLetter.Source);
            json.WriteString("topic", deadLetter.Context.Topic);
            json.WriteString("key", deadLetter.Context.Key);
            if (ack is KafkaCommittableHandle kafka)
            {
                json.WriteNumber("partition", kafka.Partition);
                json.WriteNumber("offset", kafka.Offset);
            }

            json.WriteString("receivedAt", UnixTime.ToDateTimeOffset(deadLetter.Context.ReceivedAtNs));
            json.WriteNumber("receivedAtNs", deadLetter.Context.ReceivedAtNs);
            json.WriteBase64String("payload", deadLetter.Payload.Span);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
