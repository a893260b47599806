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

/// <summary>Broker failures injected into the mock cluster: consumption resumes by itself.</summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaSourceFaultSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly KafkaMockClusterFixture _cluster;
    private readonly ITestOutputHelper _output;

    public KafkaSourceFaultSpec(KafkaMockClusterFixture cluster, ITestOutputHelper output)
        : base(output: output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task Consumption_should_resume_by_itself_after_the_brokers_come_back()
    {
        const int phase = 500;
        const int partitions = 3;
        const string topic = "broker-outage";
        await _cluster.CreateTopicAsync(topic, partitions);
        var ledger = new RecordLedger(2 * phase);
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "outage-group", topic);
        var (control, done) = KafkaSource.Committable(settings)
            .ToMaterialized(
                Sink.ForEach<Envelope<RawMessage>>(e =>
                {
                    ledger.Processed(TestRecords.Decode(e.Payload.Payload));
                    e.Ack.Release();
                }),
                Keep.Both)
            .Run(Sys.Materializer());
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 0, phase);
        await Eventually.HoldsAsync(() => ledger.Distinct == phase, Generous, () => $"processed {ledger.Distinct}");

        try
        {
            for (var broker = 1; broker <= _cluster.BrokerCount; broker++)
            {
                await _cluster.BrokerDownAsync(broker);
            }

            // The consumer notices (librdkafka reports the brokers down) and keeps polling.
            await Eventually.HoldsAsync(() => control.Statistics.ClientErrors > 0, Generous, () => $"{control.Statistics}");
            Assert.False(done.IsCompleted, "the stream survives a broker outage");
        }
        finally
        {
            for (var broker = 1; broker <= _cluster.BrokerCount; broker++)
            {
                await _cluster.BrokerUpAsync(broker);
            }
        }

        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, phase, phase);
        await ledger.WaitForAllAsync(Generous);
        var statistics = control.Statistics;
        _output.WriteLine($"after outage: {statistics}; processed twice: {ledger.Duplicates}");
        await control.StopAsync().WaitAsync(Generous);
        await done.WaitAsync(Generous);
        Assert.Empty(ledger.Missing());
    }

    [Fact]
    public async Task Failed_commits_should_be_retried_with_the_next_commit()
    {
        const int count = 300;
        const short offsetCommitApiKey = 8;
        const int topicAuthorizationFailed = 29; // not retried inside librdkafka: the commit call fails
        const string topic = "commit-errors";
        await _cluster.CreateTopicAsync(topic, 1);
        await TestRecords.ProduceAsync(_cluster.BootstrapServers, topic, 0, count);
        await _cluster.PushRequestErrorsAsync(offsetCommitApiKey, topicAuthorizationFailed, topicAuthorizationFailed);
        var ledger = new RecordLedger(count);
        var settings = KafkaTestSettings.Consumer(_cluster.BootstrapServers, "commit-errors-group", topic);
        var (control, done) = KafkaSource.Committable(settings)
            .ToMaterialized(
                Sink.ForEach<Envelope<RawMessage>>(e =>
                {
                    ledger.Processed(TestRecords.Decode(e.Payload.Payload));
                    e.Ack.Release();
                }),
                Keep.Both)
            .Run(Sys.Materializer());

        await ledger.WaitForAllAsync(Generous);
        await Eventually.HoldsAsync(
            () => TestRecords.Committed(_cluster.BootstrapServers, "commit-errors-group", topic, 1)[0].Offset.Value == count,
            Generous,
            () => $"{control.Statistics}");
        var statistics = control.Statistics;
        _output.WriteLine($"with injected commit errors: {statistics}");
        Assert.Equal(2, statistics.CommitFailures);
        await control.StopAsync().WaitAsync(Generous);
        await done.WaitAsync(Generous);
    }
}
