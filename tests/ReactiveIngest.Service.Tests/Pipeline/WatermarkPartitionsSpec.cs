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

    [Fact]
    public void Partition_names_should_not_depend_on_the_order_the_partitions_were_first_seen()
    {
        // Two instances (or two lives of one) meet the same Kafka partitions in a different order: the ids differ,
        // the names under which window progress is saved do not.
        var firstNames = new PartitionNames();
        var first = new WatermarkPartitions(Offset, perTopic: true, firstNames, "kafka:0");
        var secondNames = new PartitionNames();
        var second = new WatermarkPartitions(Offset, perTopic: true, secondNames, "kafka:0");

        var a1 = first.Of(Message("telemetry", 1));
        var a0 = first.Of(Message("telemetry", 0));
        var b0 = second.Of(Message("telemetry", 0));
        var b1 = second.Of(Message("telemetry", 1));

        Assert.NotEqual(a1, b1);
        Assert.Equal("kafka:0:telemetry:1", firstNames.NameOf(a1));
        Assert.Equal("kafka:0:telemetry:1", secondNames.NameOf(b1));
        Assert.Equal("kafka:0:telemetry:0", firstNames.NameOf(a0));
        Assert.Equal("kafka:0:telemetry:0", secondNames.NameOf(b0));
    }

    [Fact]
    public void Connections_should_be_named_by_source_and_connection_number()
    {
        var names = new PartitionNames();
        var partitions = new WatermarkPartitions(Offset, perTopic: false, names, "mqtt:plant");

        Assert.Equal("mqtt:plant:2", names.NameOf(partitions.Of(Message("sensors/device-1/temp", 2))));
        Assert.Equal("mqtt:plant:0", names.NameOf(partitions.Of(Message("sensors/device-1/temp", 0))));
    }

    private static RawMessage Message(string topic, int partition) =>
        new(Array.Empty<byte>(), new MessageContext(topic, 0, null), "kafka:test", partition);
}
