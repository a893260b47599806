using System.Collections.Concurrent;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Kafka.Tests.Support;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Kafka.Tests.Consumer;

/// <summary>One substream per assigned partition: announced on assignment, completed on revoke.</summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaPartitionedSourceSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly KafkaMockClusterFixture _cluster;
    private readonly ITestOutputHelper _output;

    public KafkaPartitionedSourceSpec(KafkaMockClusterFixture cluster, ITestOutputHelper output)
        : base(output: output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task Partitioned_source_should_give_each_partition_its_own_substream_and_complete_it_on_revoke()
    {
        const int phase = 1000;
        const int partitions = 4;
        const string topic = "partitioned";
        await _cluster.CreateTopicAsync(topic, partitions);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 0, phase);
        var ledger = new RecordLedger(2 * phase);
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "partitioned-group", topic);
        var announced = new ConcurrentQueue<int>();
        var completed = new ConcurrentQueue<int>();
        var misrouted = 0;

        // Each substream is tagged with the partition it was announced for and ends with a completion marker.
        var (control, done) = KafkaSource.CommittablePartitioned(settings)
            .ViaMaterialized(
                Flow.Create<(TopicPartition Partition, Source<Envelope<RawMessage>, NotUsed> Records)>().MergeMany(2 * partitions, pair =>
                {
                    announced.Enqueue(pair.Partition.Partition.Value);
                    return pair.Records
                        .Select(e => new Tagged(pair.Partition, e))
                        .Concat(Source.Single(new Tagged(pair.Partition, null)));
                }),
                Keep.Left)
            .ToMaterialized(
                Sink.ForEach<Tagged>(t =>
                {
                    if (t.Envelope is not { } envelope)
                    {
                        completed.Enqueue(t.Partition.Partition.Value);
                        return;
                    }

                    var handle = Assert.IsType<KafkaCommittableHandle>(envelope.Ack);
                    if (handle.Partition != t.Partition.Partition.Value || envelope.Payload.Partition != handle.Partition)
                    {
                        Interlocked.Increment(ref misrouted);
                    }

                    ledger.Processed(TestRecords.Decode(envelope.Payload.Payload));
                    envelope.Ack.Release();
                }),
                Keep.Both)
            .Run(Sys.Materializer());

        await Eventually.HoldsAsync(() => ledger.Distinct == phase, Generous, () => $"processed {ledger.Distinct}/{phase}");
        Assert.Equal(Enumerable.Range(0, partitions), announced.Order());
        Assert.Empty(completed);

        // A second member joins: the first member's partitions are revoked, so their substreams complete,
        // and the partitions it keeps (or gets back) come as new substreams.
        var (second, secondDone) = KafkaSource.Committable(settings)
            .Select(e =>
            {
                ledger.Processed(TestRecords.Decode(e.Payload.Payload));
                e.Ack.Release();
                return e;
            })
            .ToMaterialized(Sink.Ignore<Envelope<RawMessage>>(), Keep.Both)
            .Run(Sys.Materializer());
        await Eventually.HoldsAsync(() => second.Statistics.Assigned > 0, Generous, () => "the second consumer got no partitions");
        await Eventually.HoldsAsync(
            () => !completed.IsEmpty && control.Statistics.Revoked > 0,
            Generous,
            () => $"completed substreams: {completed.Count}, revoked {control.Statistics.Revoked}");
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, phase, phase);
        await ledger.WaitForAllAsync(Generous);

        await second.StopAsync().WaitAsync(Generous);
        await secondDone.WaitAsync(Generous);
        await control.StopAsync().WaitAsync(Generous);
        await done.WaitAsync(Generous);

        var statistics = control.Statistics;
        _output.WriteLine(
            $"announced {string.Join(",", announced)}; completed {string.Join(",", completed)}; {statistics}; processed twice: {ledger.Duplicates}");
        Assert.Equal(0, misrouted);
        Assert.Empty(ledger.Missing());
        Assert.True(announced.Count > partitions, "partitions kept or regained after the rebalance came as new substreams");
        Assert.Equal(announced.Order(), completed.Order()); // every substream completed: on revoke, or at stop
    }

    private readonly record struct Tagged(TopicPartition Partition, Envelope<RawMessage>? Envelope);
}
