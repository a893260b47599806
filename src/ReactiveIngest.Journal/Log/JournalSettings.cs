namespace ReactiveIngest.Journal.Log;

/// <summary>How one source's journal is stored.</summary>
/// <param name="Directory">The journal's own directory (segment files, commit records, the lock file).</param>
/// <param name="SourceName">The source whose messages it holds; replayed messages carry it as <c>RawMessage.Source</c>.</param>
public sealed record JournalSettings(string Directory, string SourceName)
{
    /// <summary>Size of one segment file in bytes, a power of two from 1 MiB to 1 GiB (the unit in which disk space is freed).</summary>
    public long SegmentSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes the journal may hold (appended and not yet truncated). At the budget appends are refused
    /// (<see cref="JournalAppendStatus.BudgetFull"/>) until released entries are truncated. The disk holds at most this
    /// plus one segment plus the commit records.
    /// </summary>
    public long DiskBudget { get; init; } = 1024L * 1024 * 1024;

    /// <summary>How long appends are gathered before one commit (group commit: one flush to disk for all of them).</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Entries handed to the graph and not yet released that the journal tracks at most (8 bytes each). At the
    /// limit the reader emits nothing more until the oldest are released (backpressure; appends go on to the budget).
    /// </summary>
    public int MaxUnreleasedEntries { get; init; } = 4 * 1024 * 1024;

    /// <summary>Size of one in-memory page in bytes (a power of two); an entry must fit in one page.</summary>
    public int PageSize { get; init; } = 1024 * 1024;

    /// <summary>Pages held in memory for appends and recent reads (at least 2).</summary>
    public int MemoryPages { get; init; } = 4;

    /// <summary>
    /// When true, nothing is committed until <see cref="SourceJournal.CommitAsync"/> is called (tests and tools that
    /// need to see the state between an append and its commit). Default false: group commit every interval.
    /// </summary>
    public bool ManualCommit { get; init; }

    /// <summary>The problems with these settings, each naming the property; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory))
        {
            errors.Add($"{nameof(Directory)} is required.");
        }

        if (string.IsNullOrWhiteSpace(SourceName))
        {
            errors.Add($"{nameof(SourceName)} is required.");
        }

        if (!IsPowerOfTwo(SegmentSize) || SegmentSize < 1024 * 1024 || SegmentSize > 1024L * 1024 * 1024)
        {
            errors.Add($"{nameof(SegmentSize)} must be a power of two from 1 MiB (1048576) to 1 GiB (1073741824); it is {SegmentSize}.");
        }

        if (!IsPowerOfTwo(PageSize) || PageSize < 64 * 1024 || PageSize > SegmentSize)
        {
            errors.Add($"{nameof(PageSize)} must be a power of two from 64 KiB up to {nameof(SegmentSize)}; it is {PageSize}.");
        }

        if (MemoryPages < 2)
        {
            errors.Add($"{nameof(MemoryPages)} must be at least 2; it is {MemoryPages}.");
        }

        if (DiskBudget < 2 * SegmentSize)
        {
            errors.Add($"{nameof(DiskBudget)} must be at least two segments ({2 * SegmentSize} bytes); it is {DiskBudget}.");
        }

        if (CommitInterval <= TimeSpan.Zero || CommitInterval > TimeSpan.FromSeconds(1))
        {
            errors.Add($"{nameof(CommitInterval)} must be above 0 and at most 1 s; it is {CommitInterval}.");
        }

        if (MaxUnreleasedEntries < 1024)
        {
            errors.Add($"{nameof(MaxUnreleasedEntries)} must be at least 1024; it is {MaxUnreleasedEntries}.");
        }

        return errors;
    }

    internal static bool IsPowerOfTwo(long value) => value > 0 && (value & (value - 1)) == 0;

    internal static int Log2(long value) => 63 - (int)long.LeadingZeroCount(value);
}
