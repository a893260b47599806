namespace ReactiveIngest.Journal.Log;

/// <summary>Thrown by <see cref="SourceJournal.AppendAsync"/> when the journal holds its disk budget.</summary>
public sealed class JournalFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalFullException()
        : base("The journal holds its disk budget; nothing was appended.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JournalFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public JournalFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
