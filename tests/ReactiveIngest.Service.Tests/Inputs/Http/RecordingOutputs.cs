using System.Collections.Concurrent;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

/// <summary>Pipeline outputs that keep every raw reading and dead letter, so a test sees exactly what would be stored.</summary>
internal sealed class RecordingOutputs : IOutput
{
    /// <summary>The raw readings, in arrival order.</summary>
    public ConcurrentQueue<Reading> Stored { get; } = new();

    /// <summary>The dead letters, in arrival order.</summary>
    public ConcurrentQueue<DeadLetter> Rejected { get; } = new();

    public string Name => "recording";

    public Sink<Envelope<ReadingBatch>, Task> Readings() =>
        Sink.ForEach<Envelope<ReadingBatch>>(e =>
        {
            foreach (var reading in e.Payload)
            {
                Stored.Enqueue(reading);
            }

            e.Ack.Release();
        }).MapMaterializedValue(t => (Task)t);

    public Sink<Envelope<NamedWindowResult>, Task> Windows() =>
        Sink.ForEach<Envelope<NamedWindowResult>>(e => e.Ack.Release()).MapMaterializedValue(t => (Task)t);

    public Sink<Envelope<DeadLetter>, Task> DeadLetters() =>
        Sink.ForEach<Envelope<DeadLetter>>(e =>
        {
            Rejected.Enqueue(e.Payload);
            e.Ack.Release();
        }).MapMaterializedValue(t => (Task)t);

    /// <summary>Waits until <paramref name="done"/> holds (30 s at most).</summary>
    public static async Task EventuallyAsync(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
