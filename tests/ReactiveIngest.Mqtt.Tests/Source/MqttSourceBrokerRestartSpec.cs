using ReactiveIngest.Simulator.Servers;
using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Source;
using ReactiveIngest.Mqtt.Tests.Support;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Mqtt.Tests.Source;

/// <summary>A Mosquitto restart (with persistence) in the middle of a stream: the source reconnects by itself and nothing is lost.</summary>
public sealed class MqttSourceBrokerRestartSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly ITestOutputHelper _output;

    public MqttSourceBrokerRestartSpec(ITestOutputHelper output)
        : base(output: output)
    {
        _output = output;
    }

    [Fact]
    public async Task Ingestion_should_resume_by_itself_after_a_broker_restart_without_losing_messages()
    {
        await using var server = new MosquittoServer(PersistentMosquittoFixture.Configuration);
        await server.StartAsync();
        using var log = server.Log.CaptureTo(_output, "mosquitto");
        var topic = TestSettings.NewTopic();
        var settings = TestSettings.For(server, topic).WithMaxInFlight(50).Build();
        var seen = new ConcurrentDictionary<int, bool>();
        var (control, streamDone) = MqttSource.Create(settings)
            .SelectAsync(1, async e =>
            {
                await Task.Delay(1);
                seen.TryAdd(TestPublisher.SeqOf(e.Payload.Payload), true);
                e.Ack.Release();
                return e;
            })
            .ToMaterialized(Sink.Ignore<Envelope<RawMessage>>(), Keep.Both)
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        using var publisher = new TestPublisher(server);
        await publisher.PublishAsync(topic, 0, 1000);
        await Eventually.TrueAsync(() => seen.Count >= 100, "the stream is running");

        await server.RestartAsync();
        Assert.True(seen.Count < 1000, "the restart should happen mid-stream");
        await publisher.PublishAsync(topic, 1000, 500); // after the restart, through the same broker

        await Eventually.TrueAsync(() => seen.Count == 1500, "all 1500 messages", TimeSpan.FromMinutes(2));
        var statistics = control.Statistics;
        _output.WriteLine($"statistics: {statistics}");
        Assert.True(statistics.Reconnects >= 1, "the source should have reconnected");
        Assert.Equal(0, statistics.SessionsLost);
        Assert.False(streamDone.IsCompleted, "a broker restart must not end the stream");
        await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
