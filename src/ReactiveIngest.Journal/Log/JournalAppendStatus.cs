namespace ReactiveIngest.Journal.Log;

/// <summary>The outcome of <see cref="SourceJournal.TryAppend"/>.</summary>
public enum JournalAppendStatus
{
    /// <summary>In the journal; the callback runs once the entry is committed to disk.</summary>
    Appended,

    /// <summary>The journal holds <see cref="JournalSettings.DiskBudget"/> bytes; nothing was appended.</summary>
    BudgetFull,

    /// <summary>The in-memory pages are all waiting for their flush; nothing was appended, retry after the next commit.</summary>
    Busy,

    /// <summary>Writing was completed (or the journal disposed); nothing was appended.</summary>
    Completed,

    /// <summary>The entry is larger than one page holds (<see cref="SourceJournal.MaxEntryBytes"/>); nothing was appended.</summary>
    TooLarge,
}
