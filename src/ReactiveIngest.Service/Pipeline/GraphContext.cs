using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Analytics;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>What every leg of one graph shares: the options, the validator, the observers and the stores behind the windows.</summary>
/// <param name="Options">The pipeline options.</param>
/// <param name="Validator">Checks each decoded reading.</param>
/// <param name="MaxPayloadBytes">The decoders' payload limit.</param>
/// <param name="LiveView">The query API's view, fed with readings and window results.</param>
/// <param name="Status">The counters behind /api/status and /metrics.</param>
/// <param name="TimeProvider">The clock of the windows' idle timeout and wall-clock fallback.</param>
/// <param name="Analytics">The Rx transforms and alert rules, or null for none.</param>
/// <param name="Progress">Where the windows save their progress, or null.</param>
public sealed record GraphContext(
    PipelineOptions Options,
    IReadingValidator Validator,
    int MaxPayloadBytes,
    LiveViewStore LiveView,
    PipelineStatus Status,
    TimeProvider TimeProvider,
    PipelineAnalytics? Analytics = null,
    IWindowProgressStore? Progress = null);
