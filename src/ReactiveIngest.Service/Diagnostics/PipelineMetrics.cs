using System.Diagnostics.Metrics;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// The pipeline's counters as OpenTelemetry instruments on the <see cref="IngestMeters.Pipeline"/> meter:
/// readings received, window results emitted, late readings, points submitted for writing, dead letters by
/// reason, and the live view's evictions. Observable instruments read the counters when scraped.
/// </summary>
public sealed class PipelineMetrics
{
    /// <summary>Creates the instruments.</summary>
    public PipelineMetrics(IMeterFactory meterFactory, PipelineStatus status, DeadLetterLog deadLetters, LiveViewStore liveView)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(IngestMeters.Pipeline);
        meter.CreateObservableCounter("reactiveingest.pipeline.readings.received", () => status.Received, "{reading}", "Valid readings that entered the pipeline");
        meter.CreateObservableCounter("reactiveingest.pipeline.windows.emitted", () => status.WindowResults, "{window}", "Window results emitted (final, early and late updates)");
        meter.CreateObservableCounter("reactiveingest.pipeline.readings.late", () => status.LateReadings, "{reading}", "Readings later than the allowed lateness");
        meter.CreateObservableCounter("reactiveingest.pipeline.readings.duplicate", () => status.Duplicates, "{reading}", "Readings dropped as recently seen duplicates");
        meter.CreateObservableCounter("reactiveingest.pipeline.dedupe.series.evicted", () => status.Deduplication.KeysEvicted, "{series}", "Series forgotten by the bounded de-duplication memory");
        meter.CreateObservableCounter("reactiveingest.pipeline.points.submitted", () => status.PointsWritten, "{point}", "Raw points handed to storage");
        meter.CreateObservableCounter("reactiveingest.pipeline.deadletters", () =>
            deadLetters.CountByReason().Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("reason", kv.Key.ToString()))),
            "{message}", "Dead letters by reason");
        meter.CreateObservableCounter("reactiveingest.liveview.devices.evicted", () => liveView.DevicesEvicted, "{device}", "Devices forgotten by the bounded live view");
        meter.CreateObservableCounter("reactiveingest.liveview.stream.dropped", () => liveView.StreamEventsDropped, "{event}", "Live-stream events dropped for slow clients");
    }
}
