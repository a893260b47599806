using System.Text;
using Confluent.Kafka;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>Turns a consumed Kafka record into the pipeline's <see cref="RawMessage"/>.</summary>
internal static class RecordConversion
{
    public static RawMessage ToMessage(ConsumeResult<byte[]?, byte[]?> result, string sourceName)
    {
        var message = result.Message;
        var receivedAtNs = message.Timestamp.Type == TimestampType.NotAvailable
            ? UnixTime.Now()
            : message.Timestamp.UnixTimestampMs * UnixTime.NanosPerMillisecond;
        var key = message.Key is { } keyBytes ? Encoding.UTF8.GetString(keyBytes) : null;
        return new RawMessage(message.Value ?? [], new MessageContext(result.Topic, receivedAtNs, key), sourceName, result.Partition.Value);
    }
}
