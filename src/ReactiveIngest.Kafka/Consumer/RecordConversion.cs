using Confluent.Kafka;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>Turns a consumed Kafka record into the pipeline's <see cref="RawMessage"/>.</summary>
internal static class RecordConversion
{
    /// <summary>
    /// The record as a message; topic and partition come from its assignment (<paramref name="partition"/>), since
    /// a source subscribed to one topic has the client leave the topic out of each result.
    /// </summary>
    public static RawMessage ToMessage(ConsumeResult<byte[]?, byte[]?> result, TopicPartition partition, string sourceName, RecordKeyCache keys)
    {
        var message = result.Message;
        var receivedAtNs = message.Timestamp.Type == TimestampType.NotAvailable
            ? UnixTime.Now()
            : message.Timestamp.UnixTimestampMs * UnixTime.NanosPerMillisecond;
        var key = keys.Text(message.Key);
        return new RawMessage(message.Value ?? [], new MessageContext(partition.Topic, receivedAtNs, key), sourceName, partition.Partition.Value);
    }
}
