using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Analytics;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Service.Outputs.Influx;
using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>Wires the ingest pipeline into the host.</summary>
public static class PipelineExtensions
{
    /// <summary>The section of the per-reading validation rules.</summary>
    public const string ValidationSection = "ReactiveIngest:Validation";

    /// <summary>
    /// Reads and validates sources, pipeline and validation options (failing start-up with the keys to fix),
    /// and registers the live view, HTTP ingestion, the outputs and the hosted pipeline.
    /// </summary>
    public static IHostApplicationBuilder AddIngestPipeline(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var pipeline = configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>() ?? new PipelineOptions();
        var result = new PipelineOptionsValidator().Validate(null, pipeline);
        if (result.Failed)
        {
            throw new OptionsValidationException(PipelineOptions.SectionName, typeof(PipelineOptions), result.Failures);
        }

        var validation = configuration.GetSection(ValidationSection).Get<ValidationOptions>() ?? new ValidationOptions();
        var validationErrors = validation.Validate();
        if (validationErrors.Count > 0)
        {
            throw new OptionsValidationException(ValidationSection, typeof(ValidationOptions), validationErrors.Select(e => $"{ValidationSection}:{e}"));
        }

        builder.AddOutputs();
        builder.AddInputs();
        builder.AddPipelineAnalytics();
        builder.Services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();
        builder.Services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.SectionName).ValidateOnStart();
        builder.Services.AddOptions<ValidationOptions>().BindConfiguration(ValidationSection);
        builder.AddLiveView([.. pipeline.EffectiveWindows.Select(w => w.Name)]);
        builder.AddSourceJournals();
        builder.Services.AddSingleton<IValidateOptions<JournalOptions>, JournalPageCheck>();
        builder.Services.TryAddSingleton<IWindowProgressStore>(_ => new InMemoryWindowProgressStore());
        builder.Services.AddSingleton<Diagnostics.PipelineMetrics>();
        builder.Services.AddSingleton<GraphState>();
        builder.Services.AddSingleton<Diagnostics.OversizeMemoryReclaimer>();
        builder.Services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<ValidationOptions>>().Value;
            return new CardinalityLimits(limits.MaxDevices, limits.MaxMetricNames);
        });
        builder.Services.AddSingleton<RunningInputs>();
        builder.Services.AddSingleton<IngestPipelineService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestPipelineService>());
        builder.Services.AddHealthChecks().AddCheck<SourcesReadinessCheck>("sources", tags: ["ready"]);
        return builder;
    }
}
