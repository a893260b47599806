using System.Buffers;
using FASTER.core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Journal.Log;

/// <summary>
/// The durable, append-only journal of one source (like one Kafka partition), on FasterLog: sources append the
/// messages they receive, the graph reads them back in order, and the journal is truncated up to the oldest entry the
/// graph has not released.
/// </summary>
/// <remarks>
/// <para><b>Parts.</b> This class is the face: appends, the release tracker and the truncation point, the reader's and
/// writer's notifications, statistics and the order of opening and closing. <see cref="JournalLock"/> holds the
/// directory, <see cref="JournalRecovery"/> checks and repairs it at open, <see cref="JournalReader"/> reads the entries
/// back and <see cref="GroupCommitter"/> commits.</para>
/// <para><b>Group commit.</b> Appends go to memory; a committer task flushes them every
/// <see cref="JournalSettings.CommitInterval"/> in one write (segment files are opened write-through, so a commit is
/// on disk when it completes) and then runs each entry's callback in append order. A source acknowledges its message
/// (MQTT PUBACK, HTTP 202) in that callback, never before.</para>
/// <para><b>Reading.</b> One reader (<see cref="TryRead"/>) sees committed entries only, from the truncation point of
/// the last run on, so after a restart every entry that was not released is delivered again. Each entry carries a
/// handle; releasing it marks the entry done, and the committer truncates the journal up to the contiguous released
/// prefix (batched: at most once per commit).</para>
/// <para><b>Bounds.</b> Bytes held: <see cref="JournalSettings.DiskBudget"/>, then appends are refused
/// (<see cref="JournalAppendStatus.BudgetFull"/>). Entries read and not released: <see cref="JournalSettings.MaxUnreleasedEntries"/>,
/// then the reader pauses. Memory: <see cref="JournalSettings.MemoryPages"/> pages; when all wait for their flush an
/// append gets <see cref="JournalAppendStatus.Busy"/>. The callbacks waiting for a commit are at most the entries
/// of those pages.</para>
/// <para><b>Damage.</b> Every entry has two checksums: FasterLog's (PerEntry, which FasterLog verifies only on pages read
/// back from disk) and a CRC-32C of its own (<see cref="JournalEntryCodec"/>). Opening verifies the unreleased part: a
/// damaged entry or a segment file shorter than the committed data is logged (file and offset), counted in
/// <see cref="Damage"/>, and skipped; the valid entries before it, and after it on later pages, are delivered. A
/// journal whose commit records cannot be recovered at all is moved aside (<c>{Directory}.damaged-…</c>) and a
/// new one started.</para>
/// <para>Thread-safe, except that <see cref="TryRead"/> must be called by one thread at a time.</para>
/// </remarks>
public sealed partial class SourceJournal : IAsyncDisposable
{
    private readonly JournalSettings _settings;
    private readonly ILogger _logger;
    private readonly JournalLock _lock;
    private readonly IDevice _device;
    private readonly FasterLog _log;
    private readonly JournalReader _reader;
    private readonly ReleaseTracker _tracker;
    private readonly object _appendGate = new();
    private readonly List<JournalDamage> _damage;
    private readonly GroupCommitter _committer;
    private Action? _onReadable;
    private Action? _onWritable;
    private long _appended;
    private long _unreadAtOpen;
    private long _refusedFull;
    private bool _writingCompleted;
    private long _heldTruncation = long.MaxValue;
    private int _disposed;

    private SourceJournal(JournalSettings settings, ILogger logger, JournalLock directoryLock, RecoveredLog recovered)
    {
        _settings = settings;
        _logger = logger;
        _lock = directoryLock;
        _device = recovered.Device;
        _log = recovered.Log;
        _damage = [.. recovered.Damage];
        _tracker = new ReleaseTracker(settings.MaxUnreleasedEntries, _log.BeginAddress);
        foreach (var found in _damage)
        {
            LogDamage(logger, settings.SourceName, found.File, found.Offset, found.Detail);
        }

        _unreadAtOpen = recovered.Entries;
        _reader = new JournalReader(_log, settings, _tracker, ReportDamage);
        _committer = new GroupCommitter(_log, settings, logger, _appendGate, TruncationPoint, AfterCommit);
        _committer.Start();
    }

    /// <summary>The source this journal belongs to.</summary>
    public string SourceName => _settings.SourceName;

    /// <summary>The settings it was opened with.</summary>
    public JournalSettings Settings => _settings;

    /// <summary>Bytes appended and not truncated.</summary>
    public long BytesUsed => _log.TailAddress - _log.BeginAddress;

    /// <summary>True while the journal holds its disk budget and refuses appends.</summary>
    public bool IsFull => BytesUsed >= _settings.DiskBudget;

    /// <summary>The largest entry one page holds (<see cref="JournalSettings.PageSize"/> − 64); see <see cref="JournalEntryCodec.EntryBytesFor"/>.</summary>
    public int MaxEntryBytes => _settings.PageSize - 64;

    /// <summary>True once <see cref="CompleteWriting"/> was called.</summary>
    public bool IsWritingCompleted => Volatile.Read(ref _writingCompleted);

    /// <summary>True when writing is completed and the reader has read every entry.</summary>
    public bool IsDrained => IsWritingCompleted && _log.CommittedUntilAddress >= _log.TailAddress && _reader.NextAddress >= _log.CommittedUntilAddress;

    /// <summary>Damaged places found when opening or reading.</summary>
    public IReadOnlyList<JournalDamage> Damage
    {
        get
        {
            lock (_damage)
            {
                return _damage.ToArray();
            }
        }
    }

    /// <summary>The journal's counters and gauges now.</summary>
    public JournalStatistics Statistics
    {
        get
        {
            var unreleased = _tracker.Unreleased;
            var unread = Math.Max(0, Interlocked.Read(ref _unreadAtOpen) + Interlocked.Read(ref _appended) - _reader.EntriesRead);
            return new JournalStatistics(
                _settings.SourceName,
                BytesUsed,
                _settings.DiskBudget,
                IsFull,
                unread + unreleased,
                unread,
                Interlocked.Read(ref _appended),
                _tracker.Released,
                _committer.Commits,
                _committer.LastCommitMs,
                _log.BeginAddress,
                _log.TailAddress,
                _log.CommittedUntilAddress,
                Interlocked.Read(ref _refusedFull),
                Damage.Count);
        }
    }

    /// <summary>
    /// Opens (or creates) the journal in <see cref="JournalSettings.Directory"/>, recovers it to its last commit and
    /// verifies what was not released.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid (the message lists every problem).</exception>
    /// <exception cref="IOException">The directory cannot be written, or another process holds the journal.</exception>
    public static SourceJournal Open(JournalSettings settings, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid journal settings: " + string.Join(" ", errors), nameof(settings));
        }

        logger ??= NullLogger.Instance;
        System.IO.Directory.CreateDirectory(settings.Directory);
        var directoryLock = JournalLock.Take(settings.Directory);
        try
        {
            return new SourceJournal(settings, logger, directoryLock, JournalRecovery.Open(settings));
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends <paramref name="message"/>. On <see cref="JournalAppendStatus.Appended"/>, <paramref name="onCommitted"/>
    /// runs once the entry is on disk, on the committer's thread (it must not block), in append order. Never blocks.
    /// </summary>
    /// <param name="message">The message as received.</param>
    /// <param name="acknowledged">Whether the source acknowledges it (recorded in the entry).</param>
    /// <param name="onCommitted">Called after the commit that contains the entry; null for none.</param>
    public JournalAppendStatus TryAppend(RawMessage message, bool acknowledged, Action? onCommitted)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (IsFull)
        {
            Interlocked.Increment(ref _refusedFull);
            return JournalAppendStatus.BudgetFull;
        }

        var size = JournalEntryCodec.SizeOf(message);
        if (size > MaxEntryBytes)
        {
            return JournalAppendStatus.TooLarge;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var written = JournalEntryCodec.Write(message, acknowledged, buffer);
            lock (_appendGate)
            {
                if (_writingCompleted)
                {
                    return JournalAppendStatus.Completed;
                }

                if (!_log.TryEnqueue(buffer.AsSpan(0, written), out var address))
                {
                    return JournalAppendStatus.Busy;
                }

                if (onCommitted is not null)
                {
                    _committer.WhenCommitted(address + 1, onCommitted);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Interlocked.Increment(ref _appended);
        _committer.Wake();
        return JournalAppendStatus.Appended;
    }

    /// <summary>Appends <paramref name="message"/> and completes once it is committed to disk.</summary>
    /// <exception cref="JournalFullException">The journal holds its disk budget; nothing was appended.</exception>
    /// <exception cref="ObjectDisposedException">Writing was completed or the journal disposed.</exception>
    public async Task AppendAsync(RawMessage message, bool acknowledged = true, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            var committed = _committer.NextRound;
            switch (TryAppend(message, acknowledged, done.SetResult))
            {
                case JournalAppendStatus.Appended:
                    await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    return;
                case JournalAppendStatus.BudgetFull:
                    throw new JournalFullException($"The journal of {SourceName} holds its disk budget of {_settings.DiskBudget} bytes; nothing was appended.");
                case JournalAppendStatus.Busy:
                    await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case JournalAppendStatus.TooLarge:
                    throw new ArgumentException($"a message of {JournalEntryCodec.SizeOf(message)} journal bytes does not fit in one page of {_settings.PageSize} bytes (PageSize)", nameof(message));
                default:
                    throw new ObjectDisposedException(nameof(SourceJournal), $"The journal of {SourceName} takes no more entries.");
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="callback"/> once, from the committer's thread, when an append may succeed again (after a
    /// commit or truncation that left room), or at once when it may already.
    /// </summary>
    public void NotifyWhenWritable(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Volatile.Write(ref _onWritable, callback);
        _committer.Wake();
    }

    /// <summary>
    /// The next committed entry as an envelope whose handle releases it. False when there is none now, or when
    /// <see cref="JournalSettings.MaxUnreleasedEntries"/> are unreleased. One caller at a time.
    /// </summary>
    public bool TryRead(out Envelope<RawMessage> envelope)
    {
        if (!_reader.TryRead(out var message, out var sequence))
        {
            envelope = null!;
            return false;
        }

        envelope = new Envelope<RawMessage>(message, new JournalAck(this, sequence));
        return true;
    }

    /// <summary>
    /// Calls <paramref name="callback"/> once, from the committer's thread, when <see cref="TryRead"/> may find an
    /// entry (after a commit or a release), or at once when it may already.
    /// </summary>
    public void NotifyWhenReadable(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Volatile.Write(ref _onReadable, callback);
        _committer.Wake();
    }

    /// <summary>
    /// Keeps the truncation point where it is now: entries released from here on are delivered again after a restart.
    /// For a stop that abandons what is in flight (an abort), where late releases must not count as done.
    /// </summary>
    public void HoldTruncation()
    {
        Interlocked.CompareExchange(ref _heldTruncation, _tracker.TruncationPoint, long.MaxValue);
    }

    /// <summary>Takes no more appends; what was appended is still committed, and the reader drains it.</summary>
    public void CompleteWriting()
    {
        lock (_appendGate)
        {
            _writingCompleted = true;
        }

        _committer.Wake();
    }

    /// <summary>Commits what was appended (and the truncation point) now, and waits for it.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var target = _log.TailAddress;
        while (_log.CommittedUntilAddress < target || _log.CommittedBeginAddress < TruncationPoint())
        {
            var round = _committer.NextRound;
            _committer.RequestCommit();
            await round.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the committer after a last commit (entries and truncation point) and closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        CompleteWriting();
        await _committer.StopAsync().ConfigureAwait(false);
        _reader.Dispose();
        _log.Dispose();
        _device.Dispose();
        _lock.Dispose();
        _committer.Dispose();
    }

    /// <summary>Called by an entry's handle: marks it released; wakes the committer when a reader or a writer waits for it.</summary>
    internal void Release(long sequence)
    {
        _tracker.Release(sequence);
        if (_reader.Blocked || IsFull)
        {
            _reader.Blocked = false;
            _committer.Wake();
        }
    }

    /// <summary>Where the committer may truncate: the oldest unreleased entry, or the held point when lower.</summary>
    private long TruncationPoint() => Math.Min(_tracker.TruncationPoint, Interlocked.Read(ref _heldTruncation));

    /// <summary>After each commit round: wakes the reader and the writer when they may go on; true while a writer still waits for room.</summary>
    private bool AfterCommit()
    {
        if (_log.CommittedUntilAddress > _reader.NextAddress || !_tracker.IsFull || IsWritingCompleted)
        {
            Interlocked.Exchange(ref _onReadable, null)?.Invoke();
        }

        if (!IsFull)
        {
            Interlocked.Exchange(ref _onWritable, null)?.Invoke();
        }

        return Volatile.Read(ref _onWritable) is not null;
    }

    private void ReportDamage(JournalDamage damage)
    {
        lock (_damage)
        {
            _damage.Add(damage);
        }

        LogDamage(_logger, _settings.SourceName, damage.File, damage.Offset, damage.Detail);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Journal of {Source}: damage in {File} at offset {Offset}: {Detail}; the entries there are skipped, the valid ones are delivered")]
    private static partial void LogDamage(ILogger logger, string source, string file, long offset, string detail);
}
