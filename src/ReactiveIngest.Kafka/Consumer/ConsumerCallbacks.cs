namespace ReactiveIngest.Kafka.Consumer;

/// <summary>How the consumer thread reaches the stage (each wraps a GetAsyncCallback).</summary>
internal sealed record ConsumerCallbacks(
    Action<List<ConsumedRecord>> Records,
    Action<List<PartitionState>> Revoked,
    Action<Exception> Failed,
    Action Stopped);
