using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// Ready when a pipeline graph runs (else unhealthy with <see cref="GraphState.StoppedReason"/>: why not, and when the restart is due), and every MQTT source has subscribed on its broker connections and no
/// Kafka source has failed.
/// </summary>
internal sealed class SourcesReadinessCheck(IngestPipelineService pipeline, GraphState graphState) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (graphState.StoppedReason is { } reason)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(reason));
        }

        var running = pipeline.Running;
        if (running is null)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the pipeline is not running"));
        }

        if (running.Completion.IsCompleted)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("the pipeline graph has stopped"));
        }

        var waiting = pipeline.MqttControls.Count(c => !c.Subscribed.IsCompletedSuccessfully);
        if (waiting > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"{waiting} MQTT source(s) not yet connected and subscribed"));
        }

        var failedKafka = running.Sources.OfType<KafkaSourceControlAdapter>().Count(k => k.Control.Completion.IsFaulted);
        return Task.FromResult(failedKafka > 0
            ? HealthCheckResult.Unhealthy($"{failedKafka} Kafka source(s) failed")
            : HealthCheckResult.Healthy());
    }
}
