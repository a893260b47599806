using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Tests.Support;

/// <summary>Produces numbered records ("000042") keyed by a device id, and reads them back.</summary>
internal static class TestRecords
{
    public static async Task ProduceAsync(string bootstrapServers, string topic, int from, int count)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(topic, new Message<string, byte[]> { Key = $"device-{i % 16}", Value = Encode(i) });
        }

        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(120)));
        if (producer.Flush(TimeSpan.Zero) != 0)
        {
            throw new InvalidOperationException($"Records to {topic} were not delivered within two minutes.");
        }
    }

    public static byte[] Encode(int number) => Encoding.ASCII.GetBytes(number.ToString("D6", CultureInfo.InvariantCulture));

    public static int Decode(ReadOnlyMemory<byte> payload) => int.Parse(Encoding.ASCII.GetString(payload.Span), CultureInfo.InvariantCulture);

    /// <summary>The committed offset of every partition of <paramref name="topic"/> for <paramref name="groupId"/>.</summary>
    public static List<TopicPartitionOffset> Committed(string bootstrapServers, string groupId, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
        }).Build();
        return consumer.Committed(
            Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)),
            TimeSpan.FromSeconds(30));
    }

    /// <summary>The high watermark of every partition.</summary>
    public static List<long> HighWatermarks(string bootstrapServers, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "watermark-reader",
        }).Build();
        return Enumerable.Range(0, partitions)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(30)).High.Value)
            .ToList();
    }
}
