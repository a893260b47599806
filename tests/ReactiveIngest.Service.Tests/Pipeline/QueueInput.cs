using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Tests.Pipeline;

/// <summary>
/// A throwaway input written against the public seam only: messages are offered to a queue, which the latest graph's
/// source reads; stopping completes the queue.
/// </summary>
internal sealed class QueueInput(string name, IReadingDecoder decoder) : IInput
{
    private volatile TaskCompletionSource<ISourceQueueWithComplete<Envelope<RawMessage>>> _queue = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The queue of the source most recently opened (waits for the graph to materialize it).</summary>
    public Task<ISourceQueueWithComplete<Envelope<RawMessage>>> Queue => _queue.Task;

    public string Name => name;

    public string? Key => null;

    public IReadingDecoder Decoder => decoder;

    public int? MaxMessageBytes => null;

    public InputJournaling Journaling => InputJournaling.None;

    public bool PartitionsPerTopic => false;

    public Source<Envelope<RawMessage>, IInputControl> Open() =>
        Source.Queue<Envelope<RawMessage>>(16, OverflowStrategy.Backpressure).MapMaterializedValue(q =>
        {
            if (!_queue.TrySetResult(q))
            {
                var next = new TaskCompletionSource<ISourceQueueWithComplete<Envelope<RawMessage>>>(TaskCreationOptions.RunContinuationsAsynchronously);
                next.SetResult(q);
                _queue = next;
            }

            return (IInputControl)new Control(q);
        });

    private sealed class Control(ISourceQueueWithComplete<Envelope<RawMessage>> queue) : IInputControl
    {
        public Task Ready => Task.CompletedTask;

        public string? Failure => null;

        public long? InFlight => null;

        public long? Lag => null;

        public IReadOnlyList<KeyValuePair<string, long>> Figures => [];

        public Task StopAsync(CancellationToken cancellationToken)
        {
            queue.Complete();
            return Task.CompletedTask;
        }
    }
}
