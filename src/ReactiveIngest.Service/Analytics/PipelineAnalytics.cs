using Akka.Streams.Dsl;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// The configured transforms and alert rules as one stage of the ingest graph, placed after the sources are merged
/// and before readings fan out to raw writes and windows:
/// <code>
/// merge → transforms (derived readings appended to their batch) ─┬→ live view → raw sink, windows …
///                                                                 └→ alert rules → MQTT / Kafka targets
/// </code>
/// Alert rules therefore see derived metrics too. The alert branch holds one acknowledgement reference per batch
/// and one per event until the target acknowledged it (see <see cref="AlertSink"/>).
/// </summary>
public sealed partial class PipelineAnalytics(TransformCatalog transforms, AlertCatalog alerts, ILogger<PipelineAnalytics> logger)
{
    /// <summary>The configured transforms.</summary>
    public TransformCatalog Transforms => transforms;

    /// <summary>The configured alert targets and rules.</summary>
    public AlertCatalog Alerts => alerts;

    /// <summary>Alert events produced and acknowledged by their targets, per rule and state.</summary>
    public AlertCounters AlertCounters { get; } = new();

    /// <summary>
    /// The stage; its materialized task completes when alert publishing finished (at once when there are no rules)
    /// and fails when an alert target failed. A failing target fails the stage too, so the graph stops instead of
    /// holding acknowledgements forever.
    /// </summary>
    public Flow<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Task> Flow()
    {
        var flow = TransformFlow.Create(transforms.Transforms);
        if (alerts.Rules.Count == 0)
        {
            return flow.MapMaterializedValue(_ => Task.CompletedTask);
        }

        return flow
            .Select(e =>
            {
                // The alert branch's reference; AlertSink gives it back after taking one per alert event.
                e.Ack.Retain();
                return e;
            })
            .AlsoToMaterialized(AlertSink.Create(alerts, (target, error) => LogTargetFailed(logger, target, error), AlertCounters), Keep.Right, true);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert target {Target} failed; the pipeline stops and unacknowledged messages will be redelivered")]
    private static partial void LogTargetFailed(ILogger logger, string target, Exception error);
}
