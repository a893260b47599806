using ReactiveIngest.Service.Live;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// Ready when a pipeline graph runs (else unhealthy with <see cref="GraphState.StoppedReason"/>: why not, and when the restart is due)
/// and every input is ready (<see cref="Inputs.IInputControl.Ready"/>: an MQTT source has subscribed on its broker connections) and none has failed.
/// </summary>
internal sealed class SourcesReadinessCheck(IngestPipelineService pipeline, RunningInputs inputs, GraphState graphState) : IHealthCheck
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

        var unready = inputs.Current
            .Select(i => i.Control.Failure is { } failure ? $"{i.Name} {failure}" : i.Control.Ready.IsCompletedSuccessfully ? null : $"{i.Name} not yet connected and subscribed")
            .Where(problem => problem is not null)
            .ToList();
        return Task.FromResult(unready.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{unready.Count} input(s) not ready: {string.Join("; ", unready)}"));
    }
}
