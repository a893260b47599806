using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Influx.Query;
using ReactiveIngest.Service.Diagnostics;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Service.Outputs.Influx;

/// <summary>Stores into InfluxDB when <c>ReactiveIngest:Influx:Url</c> is set; otherwise the in-memory outputs serve.</summary>
public static class InfluxStorageExtensions
{
    /// <summary>
    /// Registers the writer, outputs, history, readiness check and the pipeline-health snapshots when InfluxDB is
    /// configured; invalid options fail start-up naming the key.
    /// </summary>
    public static IHostApplicationBuilder AddInfluxStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(InfluxWriterOptions.SectionName);
        if (!Configured(builder.Configuration))
        {
            return builder;
        }

        var options = section.Get<InfluxWriterOptions>() ?? new InfluxWriterOptions();
        var errors = InfluxWriterOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(InfluxWriterOptions.SectionName, typeof(InfluxWriterOptions), errors);
        }

        var health = section.Get<PipelineHealthOptions>() ?? new PipelineHealthOptions();
        var healthErrors = PipelineHealthOptionsValidator.Validate(health);
        if (healthErrors.Count > 0)
        {
            throw new OptionsValidationException(PipelineHealthOptions.SectionName, typeof(PipelineHealthOptions), healthErrors);
        }

        builder.Services.AddSingleton(options);
        if (health.Enabled)
        {
            builder.Services.AddSingleton(health);
            builder.Services.AddSingleton(sp => new InfluxWriteMeterReader(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
            builder.Services.AddSingleton(sp => new PipelineHealthSnapshot(
                health.HealthMeasurement, sp.GetRequiredService<PipelineStatus>(), sp.GetRequiredService<DeadLetterLog>(), sp.GetRequiredService<InfluxWriteMeterReader>()));
            builder.Services.AddSingleton<PipelineHealthWriter>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PipelineHealthWriter>());
        }

        builder.Services.AddSingleton(sp => new InfluxMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        builder.Services.AddSingleton(sp => new InfluxWriter(options, null, sp.GetRequiredService<ILoggerFactory>().CreateLogger<InfluxWriter>(), sp.GetRequiredService<InfluxMetrics>()));
        builder.Services.AddSingleton(_ => new InfluxQueryClient(options));
        builder.Services.AddSingleton<IOutput, InfluxOutput>();
        builder.Services.AddSingleton<IWindowHistory, InfluxWindowHistory>();
        builder.Services.AddSingleton<IWindowProgressStore, InfluxWindowProgressStore>();
        builder.Services.AddHealthChecks().AddCheck<InfluxReadinessCheck>("influxdb", tags: ["ready"]);
        return builder;
    }

    /// <summary>True when <c>ReactiveIngest:Influx:Url</c> is set.</summary>
    public static bool Configured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{InfluxWriterOptions.SectionName}:Url"]);
    }
}
