using Confluent.Kafka;
using ReactiveIngest.TestSupport.Kafka;
using Xunit;
using ReactiveIngest.Kafka.Tests.Support;
using Xunit.Abstractions;

namespace ReactiveIngest.Kafka.Tests.MockCluster;

[Collection(KafkaCollection.Name)]
public sealed class KafkaMockClusterSpec
{
    private readonly KafkaMockClusterFixture _cluster;
    private readonly ITestOutputHelper _output;

    public KafkaMockClusterSpec(KafkaMockClusterFixture cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    [Fact]
    public async Task Mock_cluster_should_serve_producers_and_consumers_in_this_process()
    {
        const int count = 200;
        await _cluster.CreateTopicAsync("smoke", 3);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce("smoke", new Message<string, string> { Key = $"k{i % 7}", Value = $"v{i}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }

        var seen = new HashSet<string>();
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "smoke-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("smoke");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (seen.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                seen.Add(result.Message.Value);
            }
        }

        consumer.Close();
        if (seen.Count != count)
        {
            _cluster.WriteLogTo(_output);
        }

        Assert.Equal(count, seen.Count);
    }

    [Fact]
    public async Task Mock_cluster_should_refuse_an_unknown_command_target()
    {
        await _cluster.BrokerDownAsync(2);
        await _cluster.BrokerUpAsync(2);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _cluster.BrokerDownAsync(99));
    }
}
