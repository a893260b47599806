using System.Diagnostics.Metrics;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Service.Analytics;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Streams.Windows;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// The pipeline's counters as OpenTelemetry instruments on the <see cref="IngestMeters.Pipeline"/> meter:
/// readings received, window results emitted, late readings, points submitted for writing, dead letters by
/// reason, open windows, series, evictions and pending messages per window definition, alert events per rule and state (produced, and acknowledged by their target), and the live view's
/// evictions. Observable instruments read the counters when scraped.
/// </summary>
public sealed class PipelineMetrics
{
    /// <summary>Creates the instruments.</summary>
    public PipelineMetrics(IMeterFactory meterFactory, PipelineStatus status, DeadLetterLog deadLetters, LiveViewStore liveView, PipelineAnalytics analytics, GraphState graphState, Core.Validation.CardinalityLimits cardinality)
    {
        ArgumentNullException.ThrowIfNull(graphState);
        ArgumentNullException.ThrowIfNull(cardinality);
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(analytics);
        var meter = meterFactory.Create(IngestMeters.Pipeline);
        meter.CreateObservableCounter(InstrumentNames.PipelineReadingsReceived, () => status.Received, "{reading}", "Valid readings that entered the pipeline");
        meter.CreateObservableCounter(InstrumentNames.PipelineMessagesReceived, () => status.MessagesReceived, "{message}", "Messages that entered the graph; once drained, equals stored + deadlettered + duplicate");
        meter.CreateObservableCounter(InstrumentNames.PipelineMessagesStored, () => status.MessagesStored, "{message}", "Messages with at least one valid, new reading");
        meter.CreateObservableCounter(InstrumentNames.PipelineMessagesDeadlettered, () => status.MessagesDeadLettered, "{message}", "Messages that ended as a dead letter");
        meter.CreateObservableCounter(InstrumentNames.PipelineMessagesDuplicate, () => status.MessagesDuplicate, "{message}", "Messages whose readings were all recent duplicates");
        meter.CreateObservableCounter(InstrumentNames.PipelineRestarts, () => graphState.Restarts, "{restart}", "Graphs started again after a failure");
        meter.CreateObservableGauge(InstrumentNames.PipelineRunning, () => graphState.IsRunning ? 1 : 0, "{graph}", "1 while an ingest graph runs, 0 while it is being restarted or stopped");
        meter.CreateObservableGauge(InstrumentNames.CardinalityDevices, () => cardinality.Devices, "{device}", "Distinct device ids taken in (limit ReactiveIngest:Validation:MaxDevices)");
        meter.CreateObservableGauge(InstrumentNames.CardinalityMetricNames, () => cardinality.MetricNames, "{name}", "Distinct metric names taken in (limit ReactiveIngest:Validation:MaxMetricNames)");
        meter.CreateObservableCounter(InstrumentNames.CardinalityRejected, () => cardinality.Rejected, "{reading}", "Readings dead-lettered because a cardinality limit was reached");
        meter.CreateObservableCounter(InstrumentNames.PipelineWindowsEmitted, () => status.WindowResults, "{window}", "Window results emitted (final, early and late updates)");
        meter.CreateObservableCounter(InstrumentNames.PipelineReadingsLate, () => status.LateReadings, "{reading}", "Readings later than the allowed lateness");
        meter.CreateObservableCounter(InstrumentNames.PipelineReadingsDuplicate, () => status.Duplicates, "{reading}", "Readings dropped as recently seen duplicates");
        meter.CreateObservableCounter(InstrumentNames.PipelineDedupeSeriesEvicted, () => status.Deduplication.KeysEvicted, "{series}", "Series forgotten by the bounded de-duplication memory");
        meter.CreateObservableCounter(InstrumentNames.PipelinePointsSubmitted, () => status.PointsWritten, "{point}", "Raw points handed to storage");
        meter.CreateObservableCounter(InstrumentNames.PipelineDeadletters, () =>
            deadLetters.CountByReason().Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("reason", kv.Key.ToString()))),
            "{message}", "Dead letters by reason");
        meter.CreateObservableGauge(InstrumentNames.WindowsOpen, () => WindowMeasurements(status, g => g.OpenWindows), "{window}", "Windows held open, by window definition");
        meter.CreateObservableGauge(InstrumentNames.WindowsSeries, () => WindowMeasurements(status, g => g.Series), "{series}", "Series held, by window definition");
        meter.CreateObservableGauge(InstrumentNames.WindowsPendingMessages, () => WindowMeasurements(status, g => g.PendingMessages), "{message}", "Messages whose acknowledgement waits for a window, by window definition");
        meter.CreateObservableCounter(InstrumentNames.WindowsEvicted, () => WindowMeasurements(status, g => g.EvictedWindows), "{window}", "Windows closed early at the open-window limit, by window definition");
        meter.CreateObservableCounter(InstrumentNames.WindowsReplayedFinal, () => WindowMeasurements(status, g => g.ReplayedFinal), "{reading}", "Replayed readings not folded again because their windows were saved as final, by window definition");
        meter.CreateObservableCounter(InstrumentNames.WindowsProgressSaveFailures, () => WindowMeasurements(status, g => g.ProgressSaveFailures), "{save}", "Window progress saves that failed and were retried (acknowledgements wait), by window definition");
        meter.CreateObservableCounter(InstrumentNames.AlertsProduced, () => AlertMeasurements(analytics.AlertCounters, c => c.Produced), "{event}", "Alert events produced by the rules, by rule and state");
        meter.CreateObservableCounter(InstrumentNames.AlertsPublished, () => AlertMeasurements(analytics.AlertCounters, c => c.Published), "{event}", "Alert events acknowledged by their target, by rule and state");
        meter.CreateObservableCounter(InstrumentNames.LiveviewDevicesEvicted, () => liveView.DevicesEvicted, "{device}", "Devices forgotten by the bounded live view");
        meter.CreateObservableCounter(InstrumentNames.LiveviewSeriesEvicted, () => liveView.SeriesEvicted, "{series}", "Series (device, metric, window) forgotten by the bounded live view");
        meter.CreateObservableCounter(InstrumentNames.LiveviewStreamDropped, () => liveView.StreamEventsDropped, "{event}", "Live-stream events dropped for slow clients");
    }

    private static IEnumerable<Measurement<long>> WindowMeasurements(PipelineStatus status, Func<WindowStageGauges, long> value) =>
        status.Windows.Select(w => new Measurement<long>(value(w.Gauges), new KeyValuePair<string, object?>("window", w.Name)));

    private static IEnumerable<Measurement<long>> AlertMeasurements(AlertCounters counters, Func<AlertCount, long> value) =>
        counters.Snapshot().Select(c => new Measurement<long>(
            value(c),
            new KeyValuePair<string, object?>("rule", c.Rule),
            new KeyValuePair<string, object?>("state", c.State == AlertState.Raised ? "raised" : "cleared")));
}
