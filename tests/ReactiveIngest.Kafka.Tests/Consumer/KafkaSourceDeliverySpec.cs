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

/// <summary>At-least-once delivery across a crashed consumer and across rebalances.</summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaSourceDeliverySpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly KafkaMockClusterFixture _cluster;
    private readonly ITestOutputHelper _output;

    public KafkaSourceDeliverySpec(KafkaMockClusterFixture cluster, ITestOutputHelper output)
        : base(output: output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task Replacement_consumer_should_process_every_record_a_crashed_consumer_left_unreleased()
    {
        const int count = 3000;
        const int partitions = 4;
        const int crashAfter = 1200;
        const string topic = "crash";
        await _cluster.CreateTopicAsync(topic, partitions);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 0, count);
        var durable = new RecordLedger(count);
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "crash-group", topic);

        // The first consumer makes records durable in groups of five, releasing each group in reverse
        // order, and dies abruptly after 1200 records: everything it received later is never released.
        var received = 0;
        var held = new List<Envelope<RawMessage>>();
        var crashed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ((firstControl, killSwitch), firstDone) = KafkaSource.Committable(settings)
            .ViaMaterialized(KillSwitches.Single<Envelope<RawMessage>>(), Keep.Both)
            .ToMaterialized(
                Sink.ForEach<Envelope<RawMessage>>(e =>
                {
                    var n = ++received;
                    if (n > crashAfter)
                    {
                        return;
                    }

                    held.Add(e);
                    if (held.Count == 5)
                    {
                        for (var i = held.Count - 1; i >= 0; i--)
                        {
                            durable.Processed(TestRecords.Decode(held[i].Payload.Payload));
                            held[i].Ack.Release();
                        }

                        held.Clear();
                    }

                    if (n == crashAfter)
                    {
                        crashed.TrySetResult();
                    }
                }),
                Keep.Both)
            .Run(Sys.Materializer());

        await crashed.Task.WaitAsync(Generous);
        killSwitch.Abort(new InvalidOperationException("simulated crash"));
        await Assert.ThrowsAnyAsync<Exception>(() => firstDone.WaitAsync(Generous));
        await firstControl.Completion.WaitAsync(Generous);
        var firstStatistics = firstControl.Statistics;

        // The replacement starts from what the first one committed.
        var secondReceived = 0;
        var (secondControl, secondDone) = KafkaSource.Committable(settings)
            .ToMaterialized(
                Sink.ForEach<Envelope<RawMessage>>(e =>
                {
                    Interlocked.Increment(ref secondReceived);
                    durable.Processed(TestRecords.Decode(e.Payload.Payload));
                    e.Ack.Release();
                }),
                Keep.Both)
            .Run(Sys.Materializer());

        await durable.WaitForAllAsync(Generous);
        await secondControl.StopAsync().WaitAsync(Generous);
        await secondDone.WaitAsync(Generous);

        _output.WriteLine(
            $"first consumer: received {firstStatistics.RecordsEmitted}, released {firstStatistics.RecordsReleased}, commits {firstStatistics.Commits}; " +
            $"replacement received {secondReceived}; processed twice: {durable.Duplicates}");
        Assert.Equal(crashAfter, firstStatistics.RecordsReleased);
        Assert.True(firstStatistics.RecordsEmitted > crashAfter, "the crash left emitted records unreleased");
        Assert.Empty(durable.Missing());
        Assert.True(secondReceived >= count - crashAfter, "the replacement re-reads everything not released");
        Assert.True(secondReceived < count, "the replacement starts after the committed prefix, not from the beginning");
    }

    [Fact]
    public async Task Replacement_consumer_should_process_every_record_after_the_first_consumer_process_is_killed()
    {
        const int count = 3000;
        const int partitions = 4;
        const int release = 1200;
        const string topic = "crash-process";
        const string group = "crash-process-group";
        await _cluster.CreateTopicAsync(topic, partitions);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 0, count);
        var durable = new RecordLedger(count);

        // The first consumer runs in its own process: it makes 1200 records durable (reporting each before
        // releasing it), keeps receiving without releasing, and is killed with SIGKILL once some offsets are
        // committed, with emitted records still unreleased.
        long committedAtKill;
        int firstDurable;
        using (var host = ConsumerHostProcess.Start(_cluster.BootstrapServers, group, topic, release, durable))
        {
            await host.Holding.WaitAsync(Generous);
            await Eventually.HoldsAsync(
                () => CommittedTotal(group, topic, partitions) > 0,
                Generous,
                () => $"the first consumer committed nothing{Environment.NewLine}{host.RecentLog()}");
            await host.KillAsync(Generous);
            committedAtKill = CommittedTotal(group, topic, partitions);
            firstDurable = host.Durable;
        }

        // The replacement joins the same group once the coordinator drops the dead member (session timeout).
        var secondReceived = 0;
        var (secondControl, secondDone) = KafkaSource.Committable(KafkaTestSettings.Consumer(_cluster.BootstrapServers, group, topic))
            .ToMaterialized(
                Sink.ForEach<Envelope<RawMessage>>(e =>
                {
                    Interlocked.Increment(ref secondReceived);
                    durable.Processed(TestRecords.Decode(e.Payload.Payload));
                    e.Ack.Release();
                }),
                Keep.Both)
            .Run(Sys.Materializer());

        await durable.WaitForAllAsync(Generous);
        await secondControl.StopAsync().WaitAsync(Generous);
        await secondDone.WaitAsync(Generous);

        _output.WriteLine(
            $"killed process: durable {firstDurable}, committed offsets {committedAtKill}; replacement received {secondReceived}; " +
            $"processed twice: {durable.Duplicates}");
        Assert.Equal(release, firstDurable);
        Assert.InRange(committedAtKill, 1, release); // committed only what was released
        Assert.Empty(durable.Missing());
        Assert.InRange(secondReceived, count - committedAtKill, count - 1); // resumed at the committed offsets, not before
    }

    private long CommittedTotal(string group, string topic, int partitions) =>
        TestRecords.Committed(_cluster.BootstrapServers, group, topic, partitions).Sum(c => Math.Max(0, c.Offset.Value));

    [Fact]
    public async Task Consumers_joining_and_leaving_mid_stream_should_lose_no_record()
    {
        const int phase = 2000;
        const int partitions = 6;
        const string topic = "rebalance";
        await _cluster.CreateTopicAsync(topic, partitions);
        var ledger = new RecordLedger(3 * phase);
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "rebalance-group", topic);
        var firstCount = 0;
        var secondCount = 0;

        Source<Envelope<RawMessage>, IKafkaControl> Consumer(Action counted) =>
            KafkaSource.Committable(settings).Select(e =>
            {
                counted();
                ledger.Processed(TestRecords.Decode(e.Payload.Payload));
                e.Ack.Release();
                return e;
            });

        var (first, firstDone) = Consumer(() => Interlocked.Increment(ref firstCount))
            .ToMaterialized(Sink.Ignore<Envelope<RawMessage>>(), Keep.Both)
            .Run(Sys.Materializer());
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 0, phase);
        await Eventually.HoldsAsync(() => ledger.Distinct >= phase / 2, Generous, () => $"first consumer processed {ledger.Distinct}");

        // A second member joins: partitions are revoked from the first and shared.
        var (second, secondDone) = Consumer(() => Interlocked.Increment(ref secondCount))
            .ToMaterialized(Sink.Ignore<Envelope<RawMessage>>(), Keep.Both)
            .Run(Sys.Materializer());
        await Eventually.HoldsAsync(() => second.Statistics.Assigned > 0, Generous, () => "second consumer got no partitions");
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, phase, phase);
        await Eventually.HoldsAsync(() => Volatile.Read(ref secondCount) > 0 && ledger.Distinct >= phase + (phase / 2), Generous, () => $"processed {ledger.Distinct}, second {secondCount}");

        // It leaves again: its partitions go back to the first member.
        await second.StopAsync().WaitAsync(Generous);
        await secondDone.WaitAsync(Generous);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 2 * phase, phase);
        await ledger.WaitForAllAsync(Generous);
        var firstStatistics = first.Statistics;
        _output.WriteLine($"first: {firstStatistics}");
        _output.WriteLine($"second: {second.Statistics}");
        await first.StopAsync().WaitAsync(Generous);
        await firstDone.WaitAsync(Generous);

        _output.WriteLine(
            $"records {3 * phase}; processed {ledger.Total} (first {firstCount}, second {secondCount}); " +
            $"processed twice: {ledger.Duplicates}; first: assigned {firstStatistics.Assigned}, revoked {firstStatistics.Revoked}, " +
            $"dropped on revoke {firstStatistics.RecordsDroppedOnRevoke}");
        Assert.Empty(ledger.Missing());
        Assert.True(firstStatistics.Revoked > 0, "the first consumer gave partitions away");
        Assert.True(firstStatistics.Assigned > partitions, "the first consumer got partitions back");
        Assert.True(secondCount > 0, "the second consumer took part");
    }
}
