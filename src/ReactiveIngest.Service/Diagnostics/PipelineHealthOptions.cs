namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// The periodic pipeline-health snapshot written to InfluxDB beside the data (only when InfluxDB storage is on).
/// Bound to section <c>ReactiveIngest:Influx</c>, next to the writer's own options.
/// </summary>
public sealed class PipelineHealthOptions
{
    /// <summary>The configuration section (shared with the InfluxDB writer options).</summary>
    public const string SectionName = "ReactiveIngest:Influx";

    /// <summary>How often a pipeline-health snapshot is written to InfluxDB; 00:00:00 turns it off.</summary>
    public TimeSpan HealthInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Measurement the pipeline-health snapshots are written to.</summary>
    public string HealthMeasurement { get; set; } = "pipeline_health";

    /// <summary>Whether snapshots are written.</summary>
    public bool Enabled => HealthInterval > TimeSpan.Zero;
}
