using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReactiveIngest.Influx.Writing;

namespace ReactiveIngest.Service.Outputs.Influx;

/// <summary>Ready when the writer is: InfluxDB reachable, authorised, database present.</summary>
internal sealed class InfluxReadinessCheck(InfluxWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(writer.NotReadyReason));
}
