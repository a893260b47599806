namespace ReactiveIngest.Journal.Log;

/// <summary>A snapshot of one journal's counters and gauges.</summary>
/// <param name="Source">The source the journal belongs to.</param>
/// <param name="BytesUsed">Bytes appended and not yet truncated (what counts against the budget).</param>
/// <param name="DiskBudget">The configured budget in bytes.</param>
/// <param name="BudgetFull">True while appends are refused because <paramref name="BytesUsed"/> reached the budget.</param>
/// <param name="EntriesPending">Entries in the journal not yet released by the graph (read or still to read).</param>
/// <param name="EntriesUnread">Committed entries the graph has not read yet (the spool).</param>
/// <param name="Appended">Entries appended since start.</param>
/// <param name="Released">Entries released by the graph since start.</param>
/// <param name="Commits">Commits (flushes to disk) since start.</param>
/// <param name="LastCommitLatencyMs">Duration of the latest commit, in milliseconds.</param>
/// <param name="TruncatedUntil">The address up to which the journal is truncated (everything before it was released).</param>
/// <param name="TailAddress">The address the next entry will get.</param>
/// <param name="CommittedUntil">The address up to which entries are durable.</param>
/// <param name="RefusedFull">Appends refused because the budget was full.</param>
/// <param name="Damaged">Damaged places found (see <see cref="SourceJournal.Damage"/>).</param>
public sealed record JournalStatistics(
    string Source,
    long BytesUsed,
    long DiskBudget,
    bool BudgetFull,
    long EntriesPending,
    long EntriesUnread,
    long Appended,
    long Released,
    long Commits,
    double LastCommitLatencyMs,
    long TruncatedUntil,
    long TailAddress,
    long CommittedUntil,
    long RefusedFull,
    int Damaged);
