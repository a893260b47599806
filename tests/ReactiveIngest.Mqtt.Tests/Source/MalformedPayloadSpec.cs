using ReactiveIngest.TestSupport.Servers;
using System.Collections.Concurrent;
using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Mqtt.Source;
using ReactiveIngest.Mqtt.Tests.Support;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Mqtt.Tests.Source;

/// <summary>
/// Malformed payloads from MQTT become dead letters with their reason and bytes, and the stream goes on.
/// Decoding uses the production JSON codec and decode flow.
/// </summary>
public sealed class MalformedPayloadSpec : Akka.TestKit.Xunit2.TestKit, IClassFixture<PersistentMosquittoFixture>
{
    private readonly PersistentMosquittoFixture _broker;
    private readonly IDisposable _log;

    public MalformedPayloadSpec(PersistentMosquittoFixture broker, ITestOutputHelper output)
        : base(output: output)
    {
        _broker = broker;
        _log = broker.Server.Log.CaptureTo(output, "mosquitto");
    }

    [Fact]
    public async Task Malformed_payloads_should_go_to_dead_letters_with_their_reason_and_the_stream_should_continue()
    {
        var topic = TestSettings.NewTopic();
        var settings = TestSettings.For(_broker.Server, topic).Build();
        var good = new ConcurrentQueue<int>();
        var deadLetters = new ConcurrentQueue<DeadLetter>();
        var deadLetterSink = Sink.ForEach<Envelope<DeadLetter>>(e =>
        {
            deadLetters.Enqueue(e.Payload);
            e.Ack.Release();
        });
        var control = MqttSource.Create(settings)
            .Via(DecodeFlow.Create(new JsonReadingDecoder(), deadLetterSink, new ReadingValidator()))
            .To(Sink.ForEach<Envelope<ReadingBatch>>(batch =>
            {
                good.Enqueue((int)batch.Payload.Single(r => r.Metric == "seq").Value);
                batch.Ack.Release();
            }))
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        using var publisher = new TestPublisher(_broker.Server);
        byte[][] malformed = [Encoding.UTF8.GetBytes("{\"deviceId\":"), [0xff, 0xfe, 0x00], Encoding.UTF8.GetBytes("not json at all")];

        await publisher.PublishAsync(topic, 0, 10);
        foreach (var bytes in malformed)
        {
            await publisher.PublishOneAsync(topic, bytes, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        }

        await publisher.PublishAsync(topic, 10, 10);

        await Eventually.TrueAsync(() => good.Count == 20 && deadLetters.Count == 3, "20 readings and 3 dead letters");
        Assert.Equal(Enumerable.Range(0, 20), good);
        Assert.All(deadLetters, d => Assert.Equal((RejectReason.MalformedPayload, topic, "mqtt:test"), (d.Reason, d.Context.Topic, d.Source)));
        Assert.Equal(malformed.Select(Convert.ToHexString), deadLetters.Select(d => Convert.ToHexString(d.Payload.Span)));
        await Eventually.TrueAsync(() => control.Statistics.Acknowledged == 23, "dead letters acknowledged too");
        await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    protected override void Dispose(bool disposing)
    {
        _log.Dispose();
        base.Dispose(disposing);
    }
}
