using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
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
    /// The Rx pipelines behind <see cref="Transforms"/>; tests replace them (e.g. with one that throws).
    /// </summary>
    internal IReadOnlyList<ReadingRoute<Reading>> TransformRoutes { get; init; } = [.. transforms.Transforms.Select(t => t.ToRoute())];

    /// <summary>
    /// The stage: batches with their derived readings on out0, dead letters of batches a transform failed on
    /// (see <see cref="TransformFlow"/>) on out1. <paramref name="alertsDone"/> receives, when the stage is
    /// materialized, a task that completes when alert publishing finished (at once when there are no rules) and fails
    /// when an alert target failed. A failing target fails the stage too, so the graph stops instead of holding
    /// acknowledgements forever.
    /// </summary>
    public IGraph<FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>, NotUsed> Stage(Action<Task> alertsDone)
    {
        ArgumentNullException.ThrowIfNull(alertsDone);
        var transformStage = TransformFlow.Create(TransformRoutes);
        var alerting = alerts.Rules.Count == 0
            ? Flow.Create<Envelope<ReadingBatch>>().MapMaterializedValue(_ =>
            {
                alertsDone(Task.CompletedTask);
                return NotUsed.Instance;
            })
            : Acked.AlsoTo(AlertSink.Create(alerts, (target, error) => LogTargetFailed(logger, target, error), AlertCounters))
                .MapMaterializedValue(done =>
                {
                    alertsDone(done);
                    return NotUsed.Instance;
                });
        return GraphDsl.Create(builder =>
        {
            var transform = builder.Add(transformStage);
            var alert = builder.Add(alerting);
            builder.From(transform.Out0).To(alert.Inlet);
            return new FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>(transform.In, alert.Outlet, transform.Out1);
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert target {Target} failed; the pipeline stops and unacknowledged messages will be redelivered")]
    private static partial void LogTargetFailed(ILogger logger, string target, Exception error);
}
