using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Kafka.Tests.Support;
using ReactiveIngest.TestSupport.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Kafka.Tests.Consumer;

[Collection(KafkaCollection.Name)]
public sealed class KafkaSourceSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly KafkaMockClusterFixture _cluster;
    private readonly ITestOutputHelper _output;

    public KafkaSourceSpec(KafkaMockClusterFixture cluster, ITestOutputHelper output)
        : base(output: output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task Source_should_emit_every_record_with_its_partition_and_commit_offset_plus_one()
    {
        const int count = 1000;
        const int partitions = 4;
        await _cluster.CreateTopicAsync("basic", partitions);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, "basic", 0, count);

        var ledger = new RecordLedger(count);
        var partitionsSeen = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "basic-group", "basic");
        var control = await ConsumeAllAsync(settings, ledger, e =>
        {
            var handle = Assert.IsType<KafkaCommittableHandle>(e.Ack);
            Assert.Equal(handle.Partition, e.Payload.Partition);
            Assert.Equal("basic", e.Payload.Context.Topic);
            Assert.StartsWith("device-", e.Payload.Context.Key, StringComparison.Ordinal);
            partitionsSeen[e.Payload.Partition] = 1;
        });

        Assert.Equal(partitions, partitionsSeen.Count);
        AssertCommittedUpToHighWatermarks("basic-group", "basic", partitions);
        Assert.Equal(count, control.Statistics.RecordsReleased);
    }

    [Fact]
    public async Task Source_subscribed_to_two_topics_should_give_each_record_its_own_topic_and_commit_both()
    {
        const int perTopic = 300;
        await _cluster.CreateTopicAsync("two-a", 2);
        await _cluster.CreateTopicAsync("two-b", 2);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, "two-a", 0, perTopic);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, "two-b", perTopic, perTopic);

        var ledger = new RecordLedger(2 * perTopic);
        var wrongTopic = 0;
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "two-group", "two-a") with { Topics = ["two-a", "two-b"] };
        await ConsumeAllAsync(settings, ledger, e =>
        {
            var handle = Assert.IsType<KafkaCommittableHandle>(e.Ack);
            var expected = TestRecords.Decode(e.Payload.Payload) < perTopic ? "two-a" : "two-b";
            if (e.Payload.Context.Topic != expected || handle.Topic != expected)
            {
                Interlocked.Increment(ref wrongTopic);
            }
        });

        Assert.Equal(0, wrongTopic);
        AssertCommittedUpToHighWatermarks("two-group", "two-a", 2);
        AssertCommittedUpToHighWatermarks("two-group", "two-b", 2);
    }

    /// <summary>
    /// Runs a committable source until the ledger has every record: each envelope is checked, recorded as processed
    /// and released; then the source is stopped and its completion awaited.
    /// </summary>
    private async Task<IKafkaControl> ConsumeAllAsync(
        KafkaConsumerSettings settings, RecordLedger ledger, Action<Streams.Delivery.Envelope<Core.Model.RawMessage>> check)
    {
        var (control, done) = KafkaSource.Committable(settings)
            .ToMaterialized(
                Sink.ForEach<Streams.Delivery.Envelope<Core.Model.RawMessage>>(e =>
                {
                    check(e);
                    ledger.Processed(TestRecords.Decode(e.Payload.Payload));
                    e.Ack.Release();
                }),
                Keep.Both)
            .Run(Sys.Materializer());

        await ledger.WaitForAllAsync(Generous);
        await control.StopAsync().WaitAsync(Generous);
        await done.WaitAsync(Generous);
        return control;
    }

    private void AssertCommittedUpToHighWatermarks(string group, string topic, int partitions)
    {
        var high = TestRecords.HighWatermarks(_cluster.BootstrapServers, topic, partitions);
        var committed = TestRecords.Committed(_cluster.BootstrapServers, group, topic, partitions);
        Assert.Equal(high, committed.Select(c => c.Offset.Value).ToList());
    }

    [Fact]
    public void Consumer_config_should_leave_the_topic_out_of_results_only_when_one_topic_is_subscribed()
    {
        const string fields = "dotnet.consumer.consume.result.fields";
        var one = new KafkaConsumerSettings { BootstrapServers = "b", GroupId = "g", Topics = ["t"] };
        var two = one with { Topics = ["t", "u"] };
        var pattern = one with { Topics = [], TopicPattern = "t.*" };
        var overridden = one with { Properties = new Dictionary<string, string> { [fields] = "timestamp,topic,headers" } };

        Assert.Equal("timestamp", one.ToConsumerConfig().Get(fields));
        Assert.Equal("timestamp,topic", two.ToConsumerConfig().Get(fields));
        Assert.Equal("timestamp,topic", pattern.ToConsumerConfig().Get(fields));
        Assert.Equal("timestamp,topic,headers", overridden.ToConsumerConfig().Get(fields));
        Assert.Equal("timestamp,topic", (one with { Topics = ["^t.*"] }).ToConsumerConfig().Get(fields));
        var withoutTopic = two with { Properties = new Dictionary<string, string> { [fields] = "timestamp" } };
        Assert.Contains(withoutTopic.Validate(), e => e.Contains(fields, StringComparison.Ordinal));
        Assert.Empty((one with { Properties = withoutTopic.Properties }).Validate());
    }

    [Fact]
    public void Committable_should_report_every_invalid_setting()
    {
        var settings = new KafkaConsumerSettings
        {
            BootstrapServers = "",
            GroupId = "g",
            PartitionHighWatermark = 10,
            PartitionLowWatermark = 10,
            StartPosition = KafkaStartPosition.Timestamp,
            Properties = new Dictionary<string, string> { ["enable.auto.commit"] = "true" },
        };

        var error = Assert.Throws<ArgumentException>(() => KafkaSource.Committable(settings));

        Assert.Contains("BootstrapServers", error.Message, StringComparison.Ordinal);
        Assert.Contains("Topics", error.Message, StringComparison.Ordinal);
        Assert.Contains("StartTimestamp", error.Message, StringComparison.Ordinal);
        Assert.Contains("enable.auto.commit", error.Message, StringComparison.Ordinal);
        Assert.Contains("PartitionLowWatermark", error.Message, StringComparison.Ordinal);
    }
}
