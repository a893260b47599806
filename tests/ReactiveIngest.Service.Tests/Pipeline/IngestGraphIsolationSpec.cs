using System.Globalization;
using System.Reactive.Linq;
using System.Text;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Analytics;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Service.Tests.Inputs.Http;
using ReactiveIngest.Streams.Delivery;
using Xunit;

namespace ReactiveIngest.Service.Tests.Pipeline;

/// <summary>
/// The composed ingest graph with a transform that throws on one reading: that message must become one dead letter
/// (ProcessingFailed) and everything else, before and after it, must be stored while the graph keeps running.
/// </summary>
public sealed class IngestGraphIsolationSpec : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly ActorSystem _system = ActorSystem.Create("isolation-spec");
    private readonly long _baseMs = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _system.Terminate();

    private byte[] Json(int second, double value) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"deviceId":"d1","ts":{{_baseMs + (second * 1000L)}},"temperature":{{value}}}"""));

    [Fact]
    public async Task A_transform_that_throws_on_one_message_should_dead_letter_it_and_the_graph_should_keep_storing()
    {
        var input = new QueueInput("test", new JsonReadingDecoder());
        var empty = new ConfigurationBuilder().Build();
        var analytics = new PipelineAnalytics(TransformCatalog.Load(empty), AlertCatalog.Load(empty), NullLogger<PipelineAnalytics>.Instance)
        {
            TransformRoutes =
            [
                new ReadingRoute<Reading>("temperature", null, readings => readings.Select(r =>
                    r.Value == 666 ? throw new InvalidOperationException("transform bug") : r with { Metric = "temperature_x2", Value = r.Value * 2 })),
            ],
        };
        var outputs = new RecordingOutputs();
        var status = new PipelineStatus();
        var running = IngestGraph.Run(
            _system.Materializer(),
            [new IngestGraph.Input(input, input.Open())],
            [outputs],
            new GraphContext(
                new PipelineOptions { DecodeParallelism = 1 },
                new ReadingValidator(),
                1 << 20,
                new LiveViewStore(Options.Create(new LiveViewOptions())),
                status,
                TimeProvider.System,
                analytics));
        var queue = await input.Queue.WaitAsync(Wait);

        var released = new int[4];
        AckHandle Ack(int i) => new CallbackAckHandle(() => Interlocked.Increment(ref released[i]));
        var bad = Json(2, 666);
        await queue.OfferAsync(new Envelope<RawMessage>(new RawMessage(Json(1, 1), new MessageContext("t", 0), "test"), Ack(0)));
        await queue.OfferAsync(new Envelope<RawMessage>(new RawMessage(bad, new MessageContext("t", 0), "test"), Ack(1)));
        await queue.OfferAsync(new Envelope<RawMessage>(new RawMessage(Json(3, 3), new MessageContext("t", 0), "test"), Ack(2)));

        await RecordingOutputs.EventuallyAsync(() => outputs.Rejected.Count == 1 && outputs.Stored.Count == 4, "one dead letter and four raw readings");
        var letter = Assert.Single(outputs.Rejected);
        Assert.Equal(RejectReason.ProcessingFailed, letter.Reason);
        Assert.StartsWith("InvalidOperationException: transform bug (in Transforms)", letter.Detail, StringComparison.Ordinal);
        Assert.Equal(bad, letter.Payload.ToArray());
        Assert.Equal(1, status.DeadLetters);
        Assert.Equal(1, Volatile.Read(ref released[1])); // released by the dead-letter sink, once
        Assert.False(running.Completion.IsCompleted);

        // The graph keeps running and the transform, subscribed afresh, derives from later readings again.
        await queue.OfferAsync(new Envelope<RawMessage>(new RawMessage(Json(4, 4), new MessageContext("t", 0), "test"), Ack(3)));
        await RecordingOutputs.EventuallyAsync(() => outputs.Stored.Count == 6, "the readings of a later message");
        Assert.Equal(
            [("temperature", 1.0), ("temperature_x2", 2.0), ("temperature", 3.0), ("temperature_x2", 6.0), ("temperature", 4.0), ("temperature_x2", 8.0)],
            outputs.Stored.Select(r => (r.Metric, r.Value)));

        foreach (var source in running.Inputs.Select(i => i.Control))
        {
            await source.StopAsync(CancellationToken.None);
        }

        await running.Completion.WaitAsync(Wait); // completes, does not fail
        await RecordingOutputs.EventuallyAsync(() => Enumerable.Range(0, released.Length).All(i => Volatile.Read(ref released[i]) == 1), "every message acknowledged once");
        Assert.Single(outputs.Rejected);
        Assert.Equal(1, status.DeadLetters);
    }
}
