using ReactiveIngest.TestSupport.Servers;
using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using MQTTnet.Protocol;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Source;
using ReactiveIngest.Mqtt.Tests.Support;
using ReactiveIngest.Streams.Delivery;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Mqtt.Tests.Source;

/// <summary>MqttSource against a real Mosquitto: delivery, acknowledgement, backpressure, crash, QoS 0, shared subscriptions.</summary>
public sealed class MqttSourceSpec : Akka.TestKit.Xunit2.TestKit, IClassFixture<PersistentMosquittoFixture>
{
    private readonly PersistentMosquittoFixture _broker;
    private readonly ITestOutputHelper _output;
    private readonly IDisposable _log;

    public MqttSourceSpec(PersistentMosquittoFixture broker, ITestOutputHelper output)
        : base(output: output)
    {
        _broker = broker;
        _output = output;
        _log = broker.Server.Log.CaptureTo(output, "mosquitto");
    }

    [Fact]
    public async Task Source_should_emit_each_message_with_its_topic_and_acknowledge_it_when_released()
    {
        var topic = TestSettings.NewTopic();
        var settings = TestSettings.For(_broker.Server, topic).Build();
        var received = new ConcurrentQueue<RawMessage>();
        var control = MqttSource.Create(settings)
            .Select(e =>
            {
                received.Enqueue(e.Payload);
                e.Ack.Release();
                return e;
            })
            .To(Sink.Ignore<Envelope<RawMessage>>())
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        using var publisher = new TestPublisher(_broker.Server);

        await publisher.PublishAsync(topic, 0, 100);

        await Eventually.TrueAsync(() => control.Statistics.Acknowledged == 100, "100 acknowledgements");
        Assert.Equal(Enumerable.Range(0, 100), received.Select(m => TestPublisher.SeqOf(m.Payload)));
        Assert.All(received, m => Assert.Equal((topic, "mqtt:test", 0), (m.Context.Topic, m.Source, m.Partition)));
        Assert.Equal(0, control.Statistics.InFlight);
        await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Source_should_keep_unacknowledged_messages_within_the_bound_under_a_slow_downstream_and_deliver_all()
    {
        const int count = 3000;
        const int maxInFlight = 20;
        var topic = TestSettings.NewTopic();
        var settings = TestSettings.For(_broker.Server, topic).WithMaxInFlight(maxInFlight).WithReceiveMaximum(maxInFlight).WithBufferSize(8).Build();
        var seen = new ConcurrentDictionary<int, bool>();
        var control = MqttSource.Create(settings)
            .SelectAsync(1, async e =>
            {
                await Task.Delay(1); // a slow consumer: roughly one message per timer tick
                seen.TryAdd(TestPublisher.SeqOf(e.Payload.Payload), true);
                e.Ack.Release();
                return e;
            })
            .To(Sink.Ignore<Envelope<RawMessage>>())
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        using var publisher = new TestPublisher(_broker.Server);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var payload = new byte[1024];

        // 1 KiB of padding per message: ~3 MiB in total, which a source that buffers everything would hold.
        await publisher.PublishAsync(topic, 0, count, payload: seq => Padded(seq, payload));
        var heapAfterPublish = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(seen.Count < count, "the downstream should still be behind when publishing ends");

        await Eventually.TrueAsync(() => seen.Count == count, $"all {count} messages", TimeSpan.FromMinutes(3));
        var statistics = control.Statistics;
        _output.WriteLine($"statistics: {statistics}, heap growth while publishing: {(heapAfterPublish - heapBefore) / 1024} KiB");
        Assert.InRange(statistics.MaxInFlightObserved, 1, maxInFlight);
        Assert.True(heapAfterPublish - heapBefore < 16 * 1024 * 1024, $"heap grew by {heapAfterPublish - heapBefore} bytes");
        await Eventually.TrueAsync(() => control.Statistics.Acknowledged >= count, "every message acknowledged");
        await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Every_message_published_before_and_during_a_consumer_crash_should_arrive_after_a_restart_with_the_same_client_id()
    {
        var topic = TestSettings.NewTopic();
        var clientId = $"crash-{Guid.NewGuid():N}";
        var settings = TestSettings.For(_broker.Server, topic, clientId).WithMaxInFlight(50).Build();
        var seen = new ConcurrentDictionary<int, int>();
        var (control, killSwitch) = MqttSource.Create(settings)
            .ViaMaterialized(KillSwitches.Single<Envelope<RawMessage>>(), Keep.Both)
            .SelectAsync(1, async e =>
            {
                await Task.Delay(1);
                seen.AddOrUpdate(TestPublisher.SeqOf(e.Payload.Payload), 1, (_, n) => n + 1);
                e.Ack.Release();
                return e;
            })
            .To(Sink.Ignore<Envelope<RawMessage>>())
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        using var publisher = new TestPublisher(_broker.Server);
        await publisher.PublishAsync(topic, 0, 1000);
        await Eventually.TrueAsync(() => seen.Count >= 100, "the consumer is mid-stream");

        killSwitch.Abort(new InvalidOperationException("simulated crash"));
        await control.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        var beforeRestart = seen.Count;
        Assert.True(beforeRestart < 1000, "the crash should happen mid-stream");
        await publisher.PublishAsync(topic, 1000, 1000); // during the outage

        var restarted = MqttSource.Create(settings)
            .Select(e =>
            {
                seen.AddOrUpdate(TestPublisher.SeqOf(e.Payload.Payload), 1, (_, n) => n + 1);
                e.Ack.Release();
                return e;
            })
            .To(Sink.Ignore<Envelope<RawMessage>>())
            .Run(Sys.Materializer());

        await Eventually.TrueAsync(() => seen.Count == 2000, "all 2000 messages at least once", TimeSpan.FromMinutes(2));
        _output.WriteLine($"before crash {beforeRestart}, redelivered duplicates {seen.Values.Count(n => n > 1)}");
        Assert.Equal(Enumerable.Range(0, 2000), seen.Keys.Order());
        await restarted.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Qos0_messages_that_find_the_buffer_full_should_be_counted_as_dropped()
    {
        const int count = 200;
        var topic = TestSettings.NewTopic();
        var settings = TestSettings.For(_broker.Server, topic, qos: MqttQualityOfServiceLevel.AtMostOnce).WithBufferSize(4).Build();
        var (control, queue) = MqttSource.Create(settings)
            .ToMaterialized(Sink.Queue<Envelope<RawMessage>>(), Keep.Both)
            .AddAttributes(Attributes.CreateInputBuffer(1, 1))
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        using var publisher = new TestPublisher(_broker.Server);

        await publisher.PublishAsync(topic, 0, count, MqttQualityOfServiceLevel.AtMostOnce);
        await Eventually.TrueAsync(() => control.Statistics.Received == count, $"{count} messages received");

        var delivered = 0;
        while (delivered + control.Statistics.Qos0Dropped < count)
        {
            var next = await queue.PullAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(next.HasValue);
            delivered++;
        }

        var statistics = control.Statistics;
        _output.WriteLine($"delivered {delivered}, {statistics}");
        Assert.True(statistics.Qos0Dropped > 0, "a buffer of 4 with no demand must drop QoS 0 messages");
        Assert.Equal(count, delivered + statistics.Qos0Dropped);
        Assert.Equal(0, statistics.InFlight);
        await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Shared_subscription_over_three_connections_should_deliver_every_message_and_tag_the_connection_as_partition()
    {
        const int count = 600;
        var topic = TestSettings.NewTopic();
        var settings = TestSettings.For(_broker.Server, topic).WithSharedSubscription($"g{Guid.NewGuid():N}", 3).Build();
        var partitions = new ConcurrentDictionary<int, int>();
        var seen = new ConcurrentDictionary<int, bool>();
        var control = MqttSource.Create(settings)
            .Select(e =>
            {
                seen.TryAdd(TestPublisher.SeqOf(e.Payload.Payload), true);
                partitions.AddOrUpdate(e.Payload.Partition, 1, (_, n) => n + 1);
                e.Ack.Release();
                return e;
            })
            .To(Sink.Ignore<Envelope<RawMessage>>())
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        using var publisher = new TestPublisher(_broker.Server);

        await publisher.PublishAsync(topic, 0, count);

        await Eventually.TrueAsync(() => seen.Count == count, $"{count} messages");
        _output.WriteLine($"per connection: {string.Join(", ", partitions.OrderBy(p => p.Key))}");
        Assert.Equal([0, 1, 2], partitions.Keys.Order());
        await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Drain_should_let_taken_messages_be_acknowledged_and_then_complete_the_stream()
    {
        var topic = TestSettings.NewTopic();
        var settings = TestSettings.For(_broker.Server, topic).WithMaxInFlight(10).Build();
        var (control, done) = MqttSource.Create(settings)
            .SelectAsync(1, async e =>
            {
                await Task.Delay(5);
                e.Ack.Release();
                return e;
            })
            .ToMaterialized(Sink.Ignore<Envelope<RawMessage>>(), Keep.Both)
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        using var publisher = new TestPublisher(_broker.Server);
        await publisher.PublishAsync(topic, 0, 200);
        await Eventually.TrueAsync(() => control.Statistics.Received > 0, "messages flowing");

        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(30)).WaitAsync(TimeSpan.FromSeconds(60));

        await done.WaitAsync(TimeSpan.FromSeconds(30));
        var statistics = control.Statistics;
        Assert.Equal(0, statistics.InFlight);
        Assert.Equal(statistics.Received, statistics.Acknowledged);
    }

    protected override void Dispose(bool disposing)
    {
        _log.Dispose();
        base.Dispose(disposing);
    }

    private static byte[] Padded(int seq, byte[] padding)
    {
        var text = $"{{\"deviceId\":\"d1\",\"seq\":{seq},\"pad\":\"{new string('x', padding.Length)}\"}}";
        return System.Text.Encoding.UTF8.GetBytes(text);
    }
}
