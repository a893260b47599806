using System.Diagnostics.Metrics;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Service.Diagnostics;

namespace ReactiveIngest.Service.Journaling;

/// <summary>
/// The journals' gauges and counters on the <see cref="IngestMeters.Pipeline"/> meter, one series per source:
/// bytes used and budget, budget-full state, entries pending and unread, entries appended and released, commits and
/// the latest commit's latency, the truncation position, refused appends and damaged places found.
/// </summary>
public sealed class JournalMetrics
{
    /// <summary>Creates the instruments.</summary>
    public JournalMetrics(IMeterFactory meterFactory, SourceJournals journals)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(journals);
        var meter = meterFactory.Create(IngestMeters.Pipeline);
        meter.CreateObservableGauge(InstrumentNames.JournalBytesUsed, () => Measure(journals, s => s.BytesUsed), "By", "Bytes held by the journal (appended, not truncated), by source");
        meter.CreateObservableGauge(InstrumentNames.JournalDiskBudget, () => Measure(journals, s => s.DiskBudget), "By", "The journal's disk budget, by source");
        meter.CreateObservableGauge(InstrumentNames.JournalBudgetFull, () => Measure(journals, s => s.BudgetFull ? 1 : 0), "{state}", "1 while the journal refuses input at its budget, by source");
        meter.CreateObservableGauge(InstrumentNames.JournalEntriesPending, () => Measure(journals, s => s.EntriesPending), "{entry}", "Entries not yet released by the graph, by source");
        meter.CreateObservableGauge(InstrumentNames.JournalEntriesUnread, () => Measure(journals, s => s.EntriesUnread), "{entry}", "Committed entries the graph has not read yet (the spool), by source");
        meter.CreateObservableGauge(InstrumentNames.JournalTruncatedUntil, () => Measure(journals, s => s.TruncatedUntil), "By", "Journal address up to which entries were released and truncated, by source");
        meter.CreateObservableGauge(InstrumentNames.JournalCommitLatency, () => journals.Statistics().Select(s => new Measurement<double>(s.LastCommitLatencyMs, Tag(s))), "ms", "Duration of the latest commit (flush to disk), by source");
        meter.CreateObservableCounter(InstrumentNames.JournalAppended, () => Measure(journals, s => s.Appended), "{entry}", "Entries appended (appends/s is its rate), by source");
        meter.CreateObservableCounter(InstrumentNames.JournalReleased, () => Measure(journals, s => s.Released), "{entry}", "Entries released by the graph, by source");
        meter.CreateObservableCounter(InstrumentNames.JournalCommits, () => Measure(journals, s => s.Commits), "{commit}", "Commits (group flushes to disk), by source");
        meter.CreateObservableCounter(InstrumentNames.JournalRefusedFull, () => Measure(journals, s => s.RefusedFull), "{append}", "Appends refused at the disk budget, by source");
        meter.CreateObservableCounter(InstrumentNames.JournalDamaged, () => Measure(journals, s => s.Damaged), "{region}", "Damaged journal regions found (logged with file and offset) and skipped, by source");
    }

    private static KeyValuePair<string, object?> Tag(JournalStatistics s) => new("source", s.Source);

    private static IEnumerable<Measurement<long>> Measure(SourceJournals journals, Func<JournalStatistics, long> value) =>
        journals.Statistics().Select(s => new Measurement<long>(value(s), Tag(s)));
}
