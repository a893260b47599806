namespace ReactiveIngest.Streams.Windows;

/// <summary>
/// Durable <i>window progress</i>: per window definition and input partition, the final watermark up to which that
/// partition's windows are final and stored (every window whose end plus the allowed lateness is at or below it). The
/// <see cref="WindowAggregateStage"/> saves it after the windows' last results are written and before their messages
/// are acknowledged, and loads it when it first sees a partition, so that a replayed message does not rebuild a stored
/// window from part of its readings.
/// </summary>
/// <remarks>
/// Partition names must be stable across restarts and instances (a Kafka topic and partition, an MQTT source and
/// connection), so that the consumer that owns a partition after a restart or a rebalance reads what the previous one
/// saved. One entry per (window, partition). Implementations are called from several threads.
/// </remarks>
public interface IWindowProgressStore
{
    /// <summary>The saved final watermark (epoch ns) of <paramref name="partition"/> for <paramref name="window"/>, or null when none.</summary>
    Task<long?> LoadAsync(string window, string partition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the final watermark of each partition for <paramref name="window"/>, replacing the previous values; returns
    /// once they are durable. A failure is retried by the caller, which acknowledges nothing in the meantime.
    /// </summary>
    Task SaveAsync(string window, IReadOnlyCollection<KeyValuePair<string, long>> finalWatermarks, CancellationToken cancellationToken = default);
}
