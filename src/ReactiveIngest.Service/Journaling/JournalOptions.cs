namespace ReactiveIngest.Service.Journaling;

/// <summary>
/// The local journal between the MQTT and HTTP sources and the graph (Kafka is its own journal). Section
/// <c>ReactiveIngest:Journal</c>. With it, an MQTT message is acknowledged and an HTTP request answered 202 once the
/// message is committed to the journal on disk; the graph reads from the journal and the journal is truncated as
/// the graph releases entries.
/// </summary>
public sealed class JournalOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:Journal";

    /// <summary>
    /// Whether MQTT and HTTP input goes through the journal. False restores the old behaviour: MQTT messages are
    /// acknowledged only after their windows are written, HTTP 202 means queued in memory.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The directory holding one sub-directory per source. Empty: <c>$XDG_STATE_HOME/reactiveingest/journal</c> when
    /// XDG_STATE_HOME is set, else <c>data/journal</c> under the working directory. Must be writable (checked at start)
    /// and used by one service at a time (a lock file per source enforces it).
    /// </summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>Size of one segment file in bytes: a power of two from 1 MiB to 1 GiB. Disk space is freed a segment at a time.</summary>
    public long SegmentSize { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Bytes each source's journal may hold (at least two segments). When full, MQTT intake stops (the broker keeps
    /// the messages) and HTTP requests get 503 with Retry-After, until the graph has released and the journal truncated.
    /// </summary>
    public long DiskBudget { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// Size of one in-memory page in bytes: a power of two from 64 KiB up to <see cref="SegmentSize"/>. One journal
    /// entry (a message with its topic and a small header) must fit in a page, so every journaled input's
    /// <c>MaxMessageBytes</c> is checked against it at start-up. Each source's journal holds 4 pages in memory.
    /// </summary>
    public int PageSize { get; set; } = 1024 * 1024;

    /// <summary>How long appends gather before one commit (one flush to disk for all): from 1 ms to 1 s.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Entries the graph may hold unreleased per source (8 bytes of memory each); at the limit the journal pauses
    /// reading until the oldest are released.
    /// </summary>
    public int MaxUnreleasedEntries { get; set; } = 4 * 1024 * 1024;

    /// <summary>The directory actually used (<see cref="Directory"/> or its default).</summary>
    public string EffectiveDirectory
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(Directory))
            {
                return Path.GetFullPath(Directory);
            }

            var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            return string.IsNullOrWhiteSpace(state)
                ? Path.GetFullPath(Path.Combine("data", "journal"))
                : Path.Combine(state, "reactiveingest", "journal");
        }
    }
}
