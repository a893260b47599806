namespace ReactiveIngest.Kafka.Consumer;

/// <summary>How the consumer thread reaches the stage (each wraps a GetAsyncCallback).</summary>
/// <param name="Records">A batch of records, in consumption order.</param>
/// <param name="Revoked">Assignments that were revoked or lost (already marked revoked).</param>
/// <param name="Failed">The consumer failed.</param>
/// <param name="Stopped">The consumer closed after a stop request.</param>
/// <param name="Assigned">New assignments, before any of their records (optional).</param>
internal sealed record ConsumerCallbacks(
    Action<List<ConsumedRecord>> Records,
    Action<List<PartitionState>> Revoked,
    Action<Exception> Failed,
    Action Stopped,
    Action<List<PartitionState>>? Assigned = null);
