using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>The sink that records dead letters in the <see cref="DeadLetterLog"/> and then releases their handles.</summary>
public static class DeadLetterRecorder
{
    /// <summary>
    /// Records each dead letter, counts it in <paramref name="countInto"/> when given (for dead letters that did
    /// not pass the graph's own counter, such as points the storage rejected), then releases its reference.
    /// </summary>
    public static Sink<Envelope<DeadLetter>, Task> Sink(DeadLetterLog log, PipelineStatus? countInto = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        return Acked.ForEach<DeadLetter>(deadLetter =>
        {
            log.Record(deadLetter);
            countInto?.AddDeadLetters(1);
        });
    }
}
