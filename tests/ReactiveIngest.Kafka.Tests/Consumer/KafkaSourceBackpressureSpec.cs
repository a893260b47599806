using System.Diagnostics.Metrics;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Kafka.Tests.Support;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Kafka.Tests.Consumer;

/// <summary>Per-partition pause/resume and bounded buffers, judged by the source's own counters.</summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaSourceBackpressureSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly KafkaMockClusterFixture _cluster;
    private readonly ITestOutputHelper _output;

    public KafkaSourceBackpressureSpec(KafkaMockClusterFixture cluster, ITestOutputHelper output)
        : base(output: output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task Slow_downstream_should_pause_partitions_instead_of_buffering_them()
    {
        const int partitions = 2;
        const int count = 6000;
        const int high = 100;
        const int low = 20;
        const int handoff = 50;
        const string topic = "backpressure";
        await _cluster.CreateTopicAsync(topic, partitions);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 0, count);
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "backpressure-group", topic) with
        {
            PartitionHighWatermark = high,
            PartitionLowWatermark = low,
            MaxHandoffBatch = handoff,
        };

        var (control, queue) = KafkaSource.Committable(settings)
            .ToMaterialized(Sink.Queue<Envelope<RawMessage>>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Keep.Both)
            .Run(Sys.Materializer());

        // Nobody pulls: both partitions fill to the high watermark and are paused; the rest stays in Kafka.
        await Eventually.HoldsAsync(() => control.Statistics.PausedNow == partitions, Generous, () => $"{control.Statistics}");
        var stalled = control.Statistics;
        _output.WriteLine($"stalled: {stalled}");
        Assert.True(stalled.RecordsReceived < count / 4, "most records stay in Kafka while downstream is stalled");
        Assert.True(stalled.PeakWaitingPerPartition <= high + handoff, "a partition's buffer stops near its high watermark");

        // A slow consumer drains everything; order within each partition is kept, nothing is skipped.
        var lastByPartition = new Dictionary<int, int>();
        var received = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            var next = await queue.PullAsync().WaitAsync(Generous);
            Assert.True(next.HasValue, "the source completed early");
            var envelope = next.Value;
            var number = TestRecords.Decode(envelope.Payload.Payload);
            Assert.True(received.Add(number), $"record {number} delivered twice");
            if (lastByPartition.TryGetValue(envelope.Payload.Partition, out var last))
            {
                Assert.True(number > last, "records of one partition arrive in production order");
            }

            lastByPartition[envelope.Payload.Partition] = number;
            envelope.Ack.Release();
        }

        var drained = control.Statistics;
        _output.WriteLine($"drained: {drained}");
        Assert.Equal(count, received.Count);
        Assert.True(drained.PeakWaitingPerPartition <= high + handoff, "buffers stayed bounded throughout");
        Assert.True(drained.Pauses >= partitions, "partitions were paused");
        Assert.True(drained.Resumes >= partitions, "and resumed when drained below the low watermark");
        await control.StopAsync().WaitAsync(Generous);
    }

    [Fact]
    public async Task Source_should_stop_emitting_from_a_partition_whose_released_window_is_full()
    {
        const int count = 500;
        const int window = 30;
        const string topic = "unreleased";
        await _cluster.CreateTopicAsync(topic, 1);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 0, count);
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "unreleased-group", topic) with
        {
            MaxUnreleasedPerPartition = window,
            PartitionHighWatermark = 60,
            PartitionLowWatermark = 10,
        };

        var (control, queue) = KafkaSource.Committable(settings)
            .ToMaterialized(Sink.Queue<Envelope<RawMessage>>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Keep.Both)
            .Run(Sys.Materializer());
        var held = new List<Envelope<RawMessage>>();
        for (var i = 0; i < window; i++)
        {
            held.Add((await queue.PullAsync().WaitAsync(Generous)).Value);
        }

        // The window is full: the next pull is not served until something is released.
        var blocked = queue.PullAsync();
        await Eventually.HoldsAsync(() => control.Statistics.PausedNow == 1, Generous, () => $"{control.Statistics}");
        Assert.False(blocked.IsCompleted, "no record beyond the unreleased window was emitted");
        Assert.Equal(window, control.Statistics.RecordsEmitted);

        held[0].Ack.Release();
        var next = await blocked.WaitAsync(Generous);
        Assert.Equal(window, TestRecords.Decode(next.Value.Payload.Payload));
        await control.StopAsync().WaitAsync(Generous);
    }

    [Fact]
    public async Task Lag_gauge_should_report_per_partition_lag_until_everything_is_committed()
    {
        const int count = 400;
        const string topic = "lag";
        await _cluster.CreateTopicAsync(topic, 2);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 0, count);
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "lag-group", topic) with
        {
            PartitionHighWatermark = 40,
            PartitionLowWatermark = 10,
        };
        var lag = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KafkaMetricNames.Meter && instrument.Name == KafkaMetricNames.ConsumerLag)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? group = null;
            var partition = -1;
            foreach (var tag in tags)
            {
                if (tag.Key == "group")
                {
                    group = (string?)tag.Value;
                }
                else if (tag.Key == "partition")
                {
                    partition = (int)tag.Value!;
                }
            }

            if (group == "lag-group")
            {
                lag[partition] = value;
            }
        });
        listener.Start();

        var (control, queue) = KafkaSource.Committable(settings)
            .ToMaterialized(Sink.Queue<Envelope<RawMessage>>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Keep.Both)
            .Run(Sys.Materializer());

        // Release a few records so that something is committed, then stall.
        for (var i = 0; i < 20; i++)
        {
            (await queue.PullAsync().WaitAsync(Generous)).Value.Ack.Release();
        }

        await Eventually.HoldsAsync(
            () => { listener.RecordObservableInstruments(); return lag.Count == 2 && lag.Values.Sum() > 0; },
            Generous,
            () => $"lag {string.Join(",", lag)}");
        var stalledLag = lag.Values.Sum();

        for (var i = 20; i < count; i++)
        {
            (await queue.PullAsync().WaitAsync(Generous)).Value.Ack.Release();
        }

        await Eventually.HoldsAsync(
            () => { listener.RecordObservableInstruments(); return lag.Count == 2 && lag.Values.All(v => v == 0); },
            Generous,
            () => $"lag {string.Join(",", lag)}; {control.Statistics}; committed " +
                string.Join(",", TestRecords.Committed(_cluster.BootstrapServers, "lag-group", topic, 2)) + "; high " +
                string.Join(",", TestRecords.HighWatermarks(_cluster.BootstrapServers, topic, 2)));
        _output.WriteLine($"lag while stalled: {stalledLag}; after draining: {string.Join(",", lag)}");
        Assert.InRange(stalledLag, 1, count - 20);
        await control.StopAsync().WaitAsync(Generous);
    }
}
