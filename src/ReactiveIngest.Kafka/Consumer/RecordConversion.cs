using Confluent.Kafka;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>Turns a consumed Kafka record into the pipeline's <see cref="RawMessage"/>.</summary>
internal static class RecordConversion
{
    public static RawMessage ToMessage(ConsumeResult<byte[]?, byte[]?> result, string sourceName, RecordKeyCache keys)
    {
        var message = result.Message;
        var receivedAtNs = message.Timestamp.Type == TimestampType.NotAvailable
            ? UnixTime.Now()
            : message.Timestamp.UnixTimestampMs * UnixTime.NanosPerMillisecond;
        var key = keys.Text(message.Key);
        return new RawMessage(message.Value ?? [], new MessageContext(result.Topic, receivedAtNs, key), sourceName, result.Partition.Value);
    }
}
