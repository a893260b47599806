using Akka.Streams;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Tests.Pipeline;

/// <summary>A test source's control: stopping completes the queue that feeds it.</summary>
internal sealed class QueueSourceControl(ISourceQueueWithComplete<Envelope<RawMessage>> queue) : ISourceControl
{
    public Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        return Task.CompletedTask;
    }
}
