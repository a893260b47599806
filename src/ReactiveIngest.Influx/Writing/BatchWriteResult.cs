namespace ReactiveIngest.Influx.Writing;

/// <summary>The outcome of writing one batch: every line is either written or rejected, never lost.</summary>
/// <param name="Written">Lines InfluxDB accepted.</param>
/// <param name="Rejected">Lines InfluxDB refused, in index order.</param>
public sealed record BatchWriteResult(int Written, IReadOnlyList<RejectedLine> Rejected);
