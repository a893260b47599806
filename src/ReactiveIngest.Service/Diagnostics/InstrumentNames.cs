namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// The name of every instrument the service creates on its <see cref="IngestMeters.Pipeline"/> meter, in one place
/// (what each counts is said where it is created: <see cref="PipelineMetrics"/>, <see cref="Journaling.JournalMetrics"/>).
/// The Prometheus exporter turns dots into underscores and adds <c>_total</c> to counters.
/// </summary>
public static class InstrumentNames
{
    /// <summary><c>reactiveingest.pipeline.readings.received</c>.</summary>
    public const string PipelineReadingsReceived = "reactiveingest.pipeline.readings.received";

    /// <summary><c>reactiveingest.pipeline.messages.received</c>.</summary>
    public const string PipelineMessagesReceived = "reactiveingest.pipeline.messages.received";

    /// <summary><c>reactiveingest.pipeline.messages.stored</c>.</summary>
    public const string PipelineMessagesStored = "reactiveingest.pipeline.messages.stored";

    /// <summary><c>reactiveingest.pipeline.messages.deadlettered</c>.</summary>
    public const string PipelineMessagesDeadlettered = "reactiveingest.pipeline.messages.deadlettered";

    /// <summary><c>reactiveingest.pipeline.messages.duplicate</c>.</summary>
    public const string PipelineMessagesDuplicate = "reactiveingest.pipeline.messages.duplicate";

    /// <summary><c>reactiveingest.pipeline.restarts</c>.</summary>
    public const string PipelineRestarts = "reactiveingest.pipeline.restarts";

    /// <summary><c>reactiveingest.pipeline.running</c>.</summary>
    public const string PipelineRunning = "reactiveingest.pipeline.running";

    /// <summary><c>reactiveingest.cardinality.devices</c>.</summary>
    public const string CardinalityDevices = "reactiveingest.cardinality.devices";

    /// <summary><c>reactiveingest.cardinality.metric_names</c>.</summary>
    public const string CardinalityMetricNames = "reactiveingest.cardinality.metric_names";

    /// <summary><c>reactiveingest.cardinality.rejected</c>.</summary>
    public const string CardinalityRejected = "reactiveingest.cardinality.rejected";

    /// <summary><c>reactiveingest.pipeline.windows.emitted</c>.</summary>
    public const string PipelineWindowsEmitted = "reactiveingest.pipeline.windows.emitted";

    /// <summary><c>reactiveingest.pipeline.readings.late</c>.</summary>
    public const string PipelineReadingsLate = "reactiveingest.pipeline.readings.late";

    /// <summary><c>reactiveingest.pipeline.readings.duplicate</c>.</summary>
    public const string PipelineReadingsDuplicate = "reactiveingest.pipeline.readings.duplicate";

    /// <summary><c>reactiveingest.pipeline.dedupe.series.evicted</c>.</summary>
    public const string PipelineDedupeSeriesEvicted = "reactiveingest.pipeline.dedupe.series.evicted";

    /// <summary><c>reactiveingest.pipeline.points.submitted</c>.</summary>
    public const string PipelinePointsSubmitted = "reactiveingest.pipeline.points.submitted";

    /// <summary><c>reactiveingest.pipeline.deadletters</c>.</summary>
    public const string PipelineDeadletters = "reactiveingest.pipeline.deadletters";

    /// <summary><c>reactiveingest.windows.open</c>.</summary>
    public const string WindowsOpen = "reactiveingest.windows.open";

    /// <summary><c>reactiveingest.windows.series</c>.</summary>
    public const string WindowsSeries = "reactiveingest.windows.series";

    /// <summary><c>reactiveingest.windows.pending_messages</c>.</summary>
    public const string WindowsPendingMessages = "reactiveingest.windows.pending_messages";

    /// <summary><c>reactiveingest.windows.evicted</c>.</summary>
    public const string WindowsEvicted = "reactiveingest.windows.evicted";

    /// <summary><c>reactiveingest.windows.replayed_final</c>.</summary>
    public const string WindowsReplayedFinal = "reactiveingest.windows.replayed_final";

    /// <summary><c>reactiveingest.windows.progress_save_failures</c>.</summary>
    public const string WindowsProgressSaveFailures = "reactiveingest.windows.progress_save_failures";

    /// <summary><c>reactiveingest.alerts.produced</c>.</summary>
    public const string AlertsProduced = "reactiveingest.alerts.produced";

    /// <summary><c>reactiveingest.alerts.published</c>.</summary>
    public const string AlertsPublished = "reactiveingest.alerts.published";

    /// <summary><c>reactiveingest.liveview.devices.evicted</c>.</summary>
    public const string LiveviewDevicesEvicted = "reactiveingest.liveview.devices.evicted";

    /// <summary><c>reactiveingest.liveview.series.evicted</c>.</summary>
    public const string LiveviewSeriesEvicted = "reactiveingest.liveview.series.evicted";

    /// <summary><c>reactiveingest.liveview.stream.dropped</c>.</summary>
    public const string LiveviewStreamDropped = "reactiveingest.liveview.stream.dropped";

    /// <summary><c>reactiveingest.journal.bytes_used</c>.</summary>
    public const string JournalBytesUsed = "reactiveingest.journal.bytes_used";

    /// <summary><c>reactiveingest.journal.disk_budget</c>.</summary>
    public const string JournalDiskBudget = "reactiveingest.journal.disk_budget";

    /// <summary><c>reactiveingest.journal.budget_full</c>.</summary>
    public const string JournalBudgetFull = "reactiveingest.journal.budget_full";

    /// <summary><c>reactiveingest.journal.entries_pending</c>.</summary>
    public const string JournalEntriesPending = "reactiveingest.journal.entries_pending";

    /// <summary><c>reactiveingest.journal.entries_unread</c>.</summary>
    public const string JournalEntriesUnread = "reactiveingest.journal.entries_unread";

    /// <summary><c>reactiveingest.journal.truncated_until</c>.</summary>
    public const string JournalTruncatedUntil = "reactiveingest.journal.truncated_until";

    /// <summary><c>reactiveingest.journal.commit_latency</c>.</summary>
    public const string JournalCommitLatency = "reactiveingest.journal.commit_latency";

    /// <summary><c>reactiveingest.journal.appended</c>.</summary>
    public const string JournalAppended = "reactiveingest.journal.appended";

    /// <summary><c>reactiveingest.journal.released</c>.</summary>
    public const string JournalReleased = "reactiveingest.journal.released";

    /// <summary><c>reactiveingest.journal.commits</c>.</summary>
    public const string JournalCommits = "reactiveingest.journal.commits";

    /// <summary><c>reactiveingest.journal.refused_full</c>.</summary>
    public const string JournalRefusedFull = "reactiveingest.journal.refused_full";

    /// <summary><c>reactiveingest.journal.damaged</c>.</summary>
    public const string JournalDamaged = "reactiveingest.journal.damaged";
}
