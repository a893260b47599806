using System.Buffers;
using System.Diagnostics;
using FASTER.core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Journal.Log;

/// <summary>
/// The durable, append-only journal of one source (like one Kafka partition), on FasterLog: sources append the
/// messages they receive, the graph reads them back in order, and the journal is truncated up to the oldest entry the
/// graph has not released.
/// </summary>
/// <remarks>
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
    private const string LogFileName = "log";
    private const string LockFileName = "journal.lock";

    private readonly JournalSettings _settings;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private readonly IDevice _device;
    private readonly FasterLog _log;
    private readonly FasterLogScanIterator _reader;
    private readonly ReleaseTracker _tracker;
    private readonly StringPool _text = new(4096);
    private readonly object _appendGate = new();
    private readonly Queue<(long Until, Action Callback)> _awaitingCommit = new();
    private readonly List<JournalDamage> _damage;
    private readonly long _verifiedUntil;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Task _committer;
    private Action? _onReadable;
    private Action? _onWritable;
    private TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _appended;
    private long _read;
    private long _unreadAtOpen;
    private long _commits;
    private long _refusedFull;
    private double _lastCommitMs;
    private bool _writingCompleted;
    private volatile bool _readerBlocked;
    private volatile bool _commitRequested;
    private bool _readerInDamage;
    private long _readerAt;
    private long _heldTruncation = long.MaxValue;
    private int _disposed;

    private SourceJournal(JournalSettings settings, ILogger logger, FileStream lockFile, IDevice device, FasterLog log, List<JournalDamage> damage, long entries)
    {
        _settings = settings;
        _logger = logger;
        _lock = lockFile;
        _device = device;
        _log = log;
        _damage = damage;
        _verifiedUntil = log.CommittedUntilAddress;
        _tracker = new ReleaseTracker(settings.MaxUnreleasedEntries, log.BeginAddress);
        _readerAt = log.BeginAddress;
        foreach (var found in damage)
        {
            LogDamage(logger, settings.SourceName, found.File, found.Offset, found.Detail);
        }

        _unreadAtOpen = entries;
        _reader = log.Scan(log.BeginAddress, long.MaxValue, scanUncommitted: false);
        _committer = Task.Run(CommitLoopAsync);
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
            var unread = Math.Max(0, Interlocked.Read(ref _unreadAtOpen) + Interlocked.Read(ref _appended) - Interlocked.Read(ref _read));
            return new JournalStatistics(
                _settings.SourceName,
                BytesUsed,
                _settings.DiskBudget,
                IsFull,
                unread + unreleased,
                unread,
                Interlocked.Read(ref _appended),
                _tracker.Released,
                Interlocked.Read(ref _commits),
                Volatile.Read(ref _lastCommitMs),
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
        var lockFile = TakeLock(settings.Directory);
        var damage = new List<JournalDamage>();
        try
        {
            var (device, log) = OpenLog(settings, damage);
            var moved = damage.Count;
            damage.AddRange(CheckSegmentFiles(settings, log));
            var entries = CopyValid(settings, log, damage, copyTo: null);
            if (damage.Count > moved)
            {
                (device, log) = Repair(settings, device, log, damage);
            }

            return new SourceJournal(settings, logger, lockFile, device, log, damage, entries);
        }
        catch
        {
            lockFile.Dispose();
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
                    _awaitingCommit.Enqueue((address + 1, onCommitted));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        Interlocked.Increment(ref _appended);
        Wake();
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
            var committed = Volatile.Read(ref _committed).Task;
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
        Wake();
    }

    /// <summary>
    /// The next committed entry as an envelope whose handle releases it. False when there is none now, or when
    /// <see cref="JournalSettings.MaxUnreleasedEntries"/> are unreleased. One caller at a time.
    /// </summary>
    public bool TryRead(out Envelope<RawMessage> envelope)
    {
        envelope = null!;
        while (true)
        {
            if (_tracker.IsFull)
            {
                _readerBlocked = true;
                return false;
            }


            byte[] entry;
            int length;
            long address;
            long next;
            try
            {
                if (!_reader.GetNext(out entry, out length, out address, out next))
                {
                    return false;
                }
            }
            catch (FasterException e)
            {
                // The iterator steps past the damage; damage inside the verified part was reported at open.
                if (_readerAt >= _verifiedUntil && !_readerInDamage)
                {
                    ReportDamage(DamageAt(_settings, _readerAt, e.Message));
                }

                _readerInDamage = true;
                continue;
            }

            _readerInDamage = false;
            _readerAt = next;
            Interlocked.Increment(ref _read);
            RawMessage message;
            try
            {
                message = JournalEntryCodec.Read(entry.AsMemory(0, length), _settings.SourceName, _text);
            }
            catch (FormatException e)
            {
                ReportDamage(DamageAt(_settings, address, e.Message));
                var skipped = _tracker.Add(address, next);
                _tracker.Release(skipped);
                continue;
            }

            envelope = new Envelope<RawMessage>(message, new JournalAck(this, _tracker.Add(address, next)));
            return true;
        }
    }

    /// <summary>
    /// Calls <paramref name="callback"/> once, from the committer's thread, when <see cref="TryRead"/> may find an
    /// entry (after a commit or a release), or at once when it may already.
    /// </summary>
    public void NotifyWhenReadable(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Volatile.Write(ref _onReadable, callback);
        Wake();
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

        Wake();
    }

    /// <summary>Commits what was appended (and the truncation point) now, and waits for it.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        var target = _log.TailAddress;
        while (_log.CommittedUntilAddress < target || _log.CommittedBeginAddress < Math.Min(_tracker.TruncationPoint, Interlocked.Read(ref _heldTruncation)))
        {
            var committed = Volatile.Read(ref _committed).Task;
            _commitRequested = true;
            Wake();
            await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        await _stop.CancelAsync().ConfigureAwait(false);
        await _committer.ConfigureAwait(false);
        try
        {
            Truncate();
            await _log.CommitAsync().ConfigureAwait(false);
            RunCommitCallbacks(_log.CommittedUntilAddress);
        }
        catch (Exception e) when (e is FasterException or IOException or ObjectDisposedException)
        {
            LogCommitFailed(_logger, _settings.SourceName, e.Message);
        }

        _reader.Dispose();
        _log.Dispose();
        _device.Dispose();
        _stop.Dispose();
        _wake.Dispose();
        await _lock.DisposeAsync().ConfigureAwait(false);
        _committed.TrySetResult();
    }

    /// <summary>Called by an entry's handle: marks it released; wakes the committer when a reader or a writer waits for it.</summary>
    internal void Release(long sequence)
    {
        _tracker.Release(sequence);
        if (_readerBlocked || IsFull)
        {
            _readerBlocked = false;
            Wake();
        }
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
        {
            // Already signalled, or the journal is closing.
        }
    }

    private async Task CommitLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                // Idle: sleep until an append, a callback registration or a release wakes us (at most 1 s, for truncation).
                await _wake.WaitAsync(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);

                // Group commit: let appends gather for one interval, then flush them together.
                await Task.Delay(_settings.CommitInterval, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            if (_settings.ManualCommit && !_commitRequested)
            {
                continue;
            }

            try
            {
                _commitRequested = false;
                await CommitOnceAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A failed commit is logged and retried on the next round; the callbacks wait for it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogCommitFailed(_logger, _settings.SourceName, e.Message);
            }
        }
    }

    private async Task CommitOnceAsync(CancellationToken token)
    {
        Truncate();
        if (_log.TailAddress > _log.CommittedUntilAddress || _log.BeginAddress > _log.CommittedBeginAddress)
        {
            var started = Stopwatch.GetTimestamp();
            await _log.CommitAsync(token).ConfigureAwait(false);
            Volatile.Write(ref _lastCommitMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Interlocked.Increment(ref _commits);
        }

        RunCommitCallbacks(_log.CommittedUntilAddress);
        Interlocked.Exchange(ref _committed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        if (_log.CommittedUntilAddress > _reader.NextAddress || !_tracker.IsFull || IsWritingCompleted)
        {
            Interlocked.Exchange(ref _onReadable, null)?.Invoke();
        }

        if (!IsFull)
        {
            Interlocked.Exchange(ref _onWritable, null)?.Invoke();
        }

        // Keep going while something waits: entries to commit, a reader that may catch up, a writer waiting for room.
        if (_log.TailAddress > _log.CommittedUntilAddress || Volatile.Read(ref _onWritable) is not null || Math.Min(_tracker.TruncationPoint, Interlocked.Read(ref _heldTruncation)) > _log.BeginAddress)
        {
            Wake();
        }
    }

    private void Truncate()
    {
        var point = Math.Min(_tracker.TruncationPoint, Interlocked.Read(ref _heldTruncation));
        if (point > _log.BeginAddress)
        {
            _log.TruncateUntil(point);
        }
    }

    private void RunCommitCallbacks(long committedUntil)
    {
        while (true)
        {
            Action callback;
            lock (_appendGate)
            {
                if (!_awaitingCommit.TryPeek(out var head) || head.Until > committedUntil)
                {
                    return;
                }

                callback = _awaitingCommit.Dequeue().Callback;
            }

            callback();
        }
    }

    /// <summary>
    /// Scans the committed, untruncated part, checking each entry's own checksum; adds one damage record per damaged
    /// region and, when <paramref name="copyTo"/> is given, appends every valid entry to it. Returns the valid entries.
    /// </summary>
    private static long CopyValid(JournalSettings settings, FasterLog log, List<JournalDamage>? damage, FasterLog? copyTo)
    {
        var from = log.BeginAddress;
        var until = log.CommittedUntilAddress;
        if (until <= from)
        {
            return 0;
        }

        long entries = 0;
        var inDamage = false;
        var at = from;
        using var scan = log.Scan(from, until);
        while (true)
        {
            try
            {
                if (!scan.GetNext(out var entry, out var length, out var address, out var next))
                {
                    break;
                }

                at = next;
                if (JournalEntryCodec.Check(entry.AsSpan(0, length)) is { } problem)
                {
                    // FasterLog checks its own checksum only on pages it reads from disk, not on the recovered tail
                    // page it keeps in memory: the entry's own checksum catches damage there.
                    if (!inDamage)
                    {
                        damage?.Add(DamageAt(settings, address, problem));
                    }

                    inDamage = true;
                    continue;
                }

                if (copyTo is not null)
                {
                    long ignored;
                    while (!copyTo.TryEnqueue(entry.AsSpan(0, length), out ignored))
                    {
                        copyTo.Commit(spinWait: true);
                    }
                }

                entries++;
                inDamage = false;
            }
            catch (FasterException e)
            {
                // The iterator steps over a damaged region a few bytes at a time: one report per region.
                if (!inDamage)
                {
                    damage?.Add(DamageAt(settings, at, e.Message));
                }

                inDamage = true;
            }
        }

        return entries;
    }

    /// <summary>
    /// Rewrites the journal from its valid entries: they go to a new log, the damaged files are moved to
    /// <c>{Directory}.damaged-…</c> (kept for inspection), and the new log takes their place.
    /// </summary>
    private static (IDevice Device, FasterLog Log) Repair(JournalSettings settings, IDevice device, FasterLog log, List<JournalDamage> damage)
    {
        var repaired = $"{settings.Directory}.repair-{Guid.NewGuid():N}";
        var (newDevice, newLog) = CreateLog(settings with { Directory = repaired });
        CopyValid(settings, log, null, newLog);
        newLog.Commit(spinWait: true);
        newLog.Dispose();
        newDevice.Dispose();
        log.Dispose();
        device.Dispose();
        var aside = MoveAside(settings.Directory);
        foreach (var file in System.IO.Directory.EnumerateFileSystemEntries(repaired))
        {
            MoveEntry(file, Path.Combine(settings.Directory, Path.GetFileName(file)));
        }

        System.IO.Directory.Delete(repaired, recursive: true);
        for (var i = 0; i < damage.Count; i++)
        {
            damage[i] = damage[i] with { Detail = $"{damage[i].Detail} (the damaged files are kept in {aside})" };
        }

        return CreateLog(settings);
    }

    private static string MoveAside(string directory)
    {
        var aside = $"{directory}.damaged-{DateTime.UtcNow:yyyyMMddTHHmmssfff}";
        System.IO.Directory.CreateDirectory(aside);
        foreach (var file in System.IO.Directory.EnumerateFileSystemEntries(directory))
        {
            if (Path.GetFileName(file) != LockFileName)
            {
                MoveEntry(file, Path.Combine(aside, Path.GetFileName(file)));
            }
        }

        return aside;
    }

    private static void MoveEntry(string from, string to)
    {
        if (System.IO.Directory.Exists(from))
        {
            System.IO.Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }

    private void ReportDamage(JournalDamage damage)
    {
        lock (_damage)
        {
            _damage.Add(damage);
        }

        LogDamage(_logger, _settings.SourceName, damage.File, damage.Offset, damage.Detail);
    }

    private static JournalDamage DamageAt(JournalSettings settings, long address, string detail)
    {
        var segment = address / settings.SegmentSize;
        return new JournalDamage(SegmentFile(settings, segment), address % settings.SegmentSize, address, detail);
    }

    private static string SegmentFile(JournalSettings settings, long segment) =>
        Path.Combine(settings.Directory, $"{LogFileName}.{segment}");

    private static FileStream TakeLock(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The journal in {directory} is in use by another process or instance ({path} is locked): {e.Message}", e);
        }
    }

    private static (IDevice Device, FasterLog Log) OpenLog(JournalSettings settings, List<JournalDamage> damage)
    {
        try
        {
            return CreateLog(settings);
        }
        catch (Exception e) when (e is FasterException or IOException or InvalidOperationException or FormatException or ArgumentException)
        {
            // The commit records are unreadable: keep the files for inspection and start an empty journal.
            var aside = MoveAside(settings.Directory);
            var record = new JournalDamage(settings.Directory, 0, 0, $"could not recover ({e.Message}); moved to {aside}, started empty");
            damage.Add(record);
            return CreateLog(settings);
        }
    }

    private static (IDevice Device, FasterLog Log) CreateLog(JournalSettings settings)
    {
        var device = Devices.CreateLogDevice(Path.Combine(settings.Directory, LogFileName), preallocateFile: false, deleteOnClose: false, recoverDevice: true);
        try
        {
            var log = new FasterLog(new FasterLogSettings
            {
                LogDevice = device,
                LogCommitDir = Path.Combine(settings.Directory, "commits"),
                PageSizeBits = JournalSettings.Log2(settings.PageSize),
                MemorySizeBits = JournalSettings.Log2(settings.PageSize * (long)Math.Max(2, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)settings.MemoryPages))),
                SegmentSizeBits = JournalSettings.Log2(settings.SegmentSize),
                LogChecksum = LogChecksumType.PerEntry,
                TryRecoverLatest = true,
                RemoveOutdatedCommits = true,
                AutoRefreshSafeTailAddress = false,
            });
            return (device, log);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private static IEnumerable<JournalDamage> CheckSegmentFiles(JournalSettings settings, FasterLog log)
    {
        var begin = log.BeginAddress;
        var end = log.CommittedUntilAddress;
        if (end <= begin)
        {
            // Nothing committed beyond the start: a new journal (FasterLog begins at its first page's header, not 0) or
            // one whose entries were all truncated. No segment needs to exist.
            yield break;
        }

        for (var segment = begin / settings.SegmentSize; segment * settings.SegmentSize < end; segment++)
        {
            var file = SegmentFile(settings, segment);
            var needed = Math.Min(settings.SegmentSize, end - (segment * settings.SegmentSize));
            var actual = File.Exists(file) ? new FileInfo(file).Length : -1;
            if (actual < needed)
            {
                yield return new JournalDamage(file, Math.Max(0, actual), (segment * settings.SegmentSize) + Math.Max(0, actual),
                    actual < 0 ? $"segment file is missing; committed data needs {needed} bytes" : $"segment file is truncated to {actual} bytes; committed data needs {needed}");
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Journal of {Source}: damage in {File} at offset {Offset}: {Detail}; the entries there are skipped, the valid ones are delivered")]
    private static partial void LogDamage(ILogger logger, string source, string file, long offset, string detail);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Journal of {Source}: commit failed: {Reason}; retrying")]
    private static partial void LogCommitFailed(ILogger logger, string source, string reason);
}
