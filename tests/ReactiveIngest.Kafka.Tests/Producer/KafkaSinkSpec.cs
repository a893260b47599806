using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using ReactiveIngest.Kafka.Producer;
using ReactiveIngest.Kafka.Tests.Support;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Kafka.Tests.Producer;

[Collection(KafkaCollection.Name)]
public sealed class KafkaSinkSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private readonly KafkaMockClusterFixture _cluster;

    public KafkaSinkSpec(KafkaMockClusterFixture cluster, ITestOutputHelper output)
        : base(output: output)
    {
        _cluster = cluster;
    }

    [Fact]
    public async Task Sink_should_write_records_keyed_by_device_and_release_each_handle_after_delivery()
    {
        const int count = 800;
        const int devices = 8;
        const string topic = "sink-keyed";
        await _cluster.CreateTopicAsync(topic, 4);
        var released = 0;
        var elements = Enumerable.Range(0, count).Select(i => new Envelope<(string Device, int Sequence)>(
            ($"device-{i % devices}", i),
            new CallbackAckHandle(() => Interlocked.Increment(ref released))));

        await Source.From(elements)
            .RunWith(
                KafkaSink.Create<(string Device, int Sequence)>(
                    new KafkaProducerSettings { BootstrapServers = _cluster.BootstrapServers, MaxInFlight = 100 },
                    r => new KafkaProducerRecord(topic, r.Device, TestRecords.Encode(r.Sequence))),
                Sys.Materializer())
            .WaitAsync(Generous);

        Assert.Equal(count, Volatile.Read(ref released));

        // Every device's records are in one partition, in the order they were written.
        var byDevice = new Dictionary<string, List<(int Partition, int Sequence)>>();
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "sink-keyed-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow + Generous;
        var read = 0;
        while (read < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                read++;
                var list = byDevice.TryGetValue(result.Message.Key, out var l) ? l : byDevice[result.Message.Key] = [];
                list.Add((result.Partition.Value, TestRecords.Decode(result.Message.Value)));
            }
        }

        consumer.Close();
        Assert.Equal(count, read);
        Assert.Equal(devices, byDevice.Count);
        foreach (var (device, records) in byDevice)
        {
            Assert.Single(records.Select(r => r.Partition).Distinct());
            Assert.Equal(records.Select(r => r.Sequence).Order(), records.Select(r => r.Sequence));
            Assert.Equal(count / devices, records.Count);
            Assert.StartsWith("device-", device, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Flow_should_fail_and_keep_the_handle_when_delivery_fails()
    {
        const string topic = "sink-undeliverable";
        await _cluster.CreateTopicAsync(topic, 1);
        var handle = new CallbackAckHandle(() => { });
        var settings = new KafkaProducerSettings
        {
            BootstrapServers = _cluster.BootstrapServers,
            Properties = new Dictionary<string, string> { ["message.timeout.ms"] = "2000" },
        };
        try
        {
            for (var broker = 1; broker <= _cluster.BrokerCount; broker++)
            {
                await _cluster.BrokerDownAsync(broker);
            }

            var run = Source.Single(new Envelope<string>("alert", handle))
                .Via(KafkaFlow.Create<string>(settings, s => new KafkaProducerRecord(topic, "device-1", Encoding.UTF8.GetBytes(s))))
                .RunWith(Sink.Seq<Envelope<string>>(), Sys.Materializer());

            var error = await Assert.ThrowsAnyAsync<KafkaException>(() => run.WaitAsync(Generous));
            Assert.Equal(ErrorCode.Local_MsgTimedOut, error.Error.Code);
            Assert.False(handle.IsReleased);
        }
        finally
        {
            for (var broker = 1; broker <= _cluster.BrokerCount; broker++)
            {
                await _cluster.BrokerUpAsync(broker);
            }
        }
    }

    [Fact]
    public void Producer_settings_should_refuse_to_weaken_idempotence()
    {
        var settings = new KafkaProducerSettings
        {
            BootstrapServers = "127.0.0.1:1",
            MaxInFlight = 0,
            Properties = new Dictionary<string, string> { ["enable.idempotence"] = "false", ["acks"] = "1" },
        };

        var errors = settings.Validate();

        Assert.Contains(errors, e => e.Contains("enable.idempotence", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("acks", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MaxInFlight", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => KafkaSink.Create<string>(settings, s => default));
    }
}
