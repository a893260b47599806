using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Pipeline;
using Xunit;

namespace ReactiveIngest.Service.Tests.Pipeline;

public sealed class WatermarkPartitionsSpec
{
    private const int Offset = 2 * IngestGraph.PartitionsPerSource;

    [Fact]
    public void Kafka_partitions_with_the_same_number_in_different_topics_should_get_different_watermark_partitions()
    {
        var partitions = new WatermarkPartitions(Offset, perTopic: true);

        var a0 = partitions.Of(Message("telemetry-a", 0));
        var b0 = partitions.Of(Message("telemetry-b", 0));
        var a1 = partitions.Of(Message("telemetry-a", 1));

        Assert.Equal(3, new[] { a0, b0, a1 }.Distinct().Count());
        Assert.Equal(a0, partitions.Of(Message("telemetry-a", 0)));
        Assert.Equal(b0, partitions.Of(Message("telemetry-b", 0)));
    }

    [Fact]
    public void Watermark_partitions_should_stay_inside_the_source_range_even_past_its_size()
    {
        var partitions = new WatermarkPartitions(Offset, perTopic: true);
        var seen = new HashSet<int>();
        for (var topic = 0; topic < 3; topic++)
        {
            for (var p = 0; p < IngestGraph.PartitionsPerSource; p++)
            {
                var id = partitions.Of(Message($"topic-{topic}", p));
                Assert.InRange(id, Offset, Offset + IngestGraph.PartitionsPerSource - 1);
                seen.Add(id);
            }
        }

        // The first PartitionsPerSource pairs got their own ids; the other messages share ids inside the range.
        Assert.Equal(IngestGraph.PartitionsPerSource, seen.Count);
        Assert.Equal(2 * IngestGraph.PartitionsPerSource, partitions.SharedLookups);
    }

    [Fact]
    public void Sources_without_topic_partitions_should_keep_the_partition_number()
    {
        var partitions = new WatermarkPartitions(Offset, perTopic: false);

        Assert.Equal(Offset + 3, partitions.Of(Message("sensors/device-1/temp", 3)));
        Assert.Equal(Offset + 3, partitions.Of(Message("sensors/device-2/temp", 3)));
    }

    private static RawMessage Message(string topic, int partition) =>
        new(Array.Empty<byte>(), new MessageContext(topic, 0, null), "kafka:test", partition);
}
