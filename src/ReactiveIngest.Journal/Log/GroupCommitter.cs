using System.Diagnostics;
using FASTER.core;
using Microsoft.Extensions.Logging;

namespace ReactiveIngest.Journal.Log;

/// <summary>
/// The group commit of one journal's FasterLog: a task that, once woken, lets appends gather for
/// <see cref="JournalSettings.CommitInterval"/>, then truncates the log to the point the journal allows and commits
/// entries and truncation in one write, and completes, in append order, every waiter the commit covers.
/// </summary>
/// <remarks>
/// <para><b>Owns</b> the commit task, its wake-up signal, the waiters (<see cref="WhenCommitted"/>) and the commit
/// counters. The journal owns the log and tells the committer, per round, where it may truncate and what to do once
/// a round is done (notify its reader and writer; say whether someone still waits, for another round at once).</para>
/// <para><b>Bounds.</b> One round per interval while woken, and one a second when idle (truncation of late releases).
/// The waiters are at most the entries of the log's memory pages: an append that finds them all waiting for their
/// flush is refused by FasterLog before it gets a waiter. Waiters run on the commit task and must not block.</para>
/// <para><b>Failure.</b> A round that throws (the commit, the truncation, a waiter) is logged as a warning and retried
/// on the next round; its waiters (when a waiter throws, the ones after it) wait for a later round and are never failed.
/// <see cref="StopAsync"/>'s last commit logs file-system failures and returns.</para>
/// <para>Thread-safe; <see cref="Start"/>, <see cref="StopAsync"/> and <see cref="Dispose"/> once each, in that order.</para>
/// </remarks>
internal sealed partial class GroupCommitter : IDisposable
{
    private static readonly TimeSpan IdleRound = TimeSpan.FromSeconds(1);

    private readonly FasterLog _log;
    private readonly JournalSettings _settings;
    private readonly ILogger _logger;
    private readonly object _appendGate;
    private readonly Func<long> _truncationPoint;
    private readonly Func<bool> _afterRound;
    private readonly Queue<(long Until, Action Callback)> _waiters = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private TaskCompletionSource _round = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private long _commits;
    private double _lastCommitMs;
    private volatile bool _commitRequested;

    /// <param name="log">The log to commit; the committer neither appends to it nor disposes it.</param>
    /// <param name="settings">The interval, <see cref="JournalSettings.ManualCommit"/>, and the source named in logs.</param>
    /// <param name="logger">Where failed commits are logged.</param>
    /// <param name="appendGate">
    /// The lock appends hold from taking an address to registering its waiter; the committer takes it to look at the
    /// waiters, so a round sees the waiter of every entry it committed.
    /// </param>
    /// <param name="truncationPoint">Before each commit: the address up to which the log may be truncated.</param>
    /// <param name="afterRound">After each round that succeeded; true when someone still waits for a round.</param>
    public GroupCommitter(FasterLog log, JournalSettings settings, ILogger logger, object appendGate, Func<long> truncationPoint, Func<bool> afterRound)
    {
        _log = log;
        _settings = settings;
        _logger = logger;
        _appendGate = appendGate;
        _truncationPoint = truncationPoint;
        _afterRound = afterRound;
    }

    /// <summary>Commits that wrote something, since start.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>How long the latest of them took, in milliseconds.</summary>
    public double LastCommitMs => Volatile.Read(ref _lastCommitMs);

    /// <summary>Completes when the next round has succeeded (whether or not it had anything to write), or on <see cref="Dispose"/>.</summary>
    public Task NextRound => Volatile.Read(ref _round).Task;

    /// <summary>Starts the commit task.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// Runs <paramref name="callback"/> on the commit task once the log is committed up to <paramref name="until"/>.
    /// Callers register in address order (the journal does so under its append lock, which this takes too).
    /// </summary>
    public void WhenCommitted(long until, Action callback)
    {
        lock (_appendGate)
        {
            _waiters.Enqueue((until, callback));
        }
    }

    /// <summary>Starts a round after the interval, unless one is already due. Never blocks; ignored once disposed.</summary>
    public void Wake()
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
            // Already signalled, or closing.
        }
    }

    /// <summary>Wakes the committer for a round that runs also under <see cref="JournalSettings.ManualCommit"/>.</summary>
    public void RequestCommit()
    {
        _commitRequested = true;
        Wake();
    }

    /// <summary>Stops the commit task, then truncates and commits once more and completes the waiters that covers.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        try
        {
            Truncate();
            await _log.CommitAsync().ConfigureAwait(false);
            CompleteWaiters(_log.CommittedUntilAddress);
        }
        catch (Exception e) when (e is FasterException or IOException or ObjectDisposedException)
        {
            LogCommitFailed(_logger, _settings.SourceName, e.Message);
        }
    }

    /// <summary>
    /// Releases the wake-up signal and completes <see cref="NextRound"/> for whoever still waits on it. Separate from
    /// <see cref="StopAsync"/> so that the journal closes its files before appends waiting for a round resume.
    /// </summary>
    public void Dispose()
    {
        _stop.Dispose();
        _wake.Dispose();
        _round.TrySetResult();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(IdleRound, token).ConfigureAwait(false);

                // The group in group commit: whatever is appended during the interval goes in the same write.
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
                await RoundAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A failed round is logged and retried on the next; its waiters wait for it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogCommitFailed(_logger, _settings.SourceName, e.Message);
            }
        }
    }

    private async Task RoundAsync(CancellationToken token)
    {
        Truncate();
        if (_log.TailAddress > _log.CommittedUntilAddress || _log.BeginAddress > _log.CommittedBeginAddress)
        {
            var started = Stopwatch.GetTimestamp();
            await _log.CommitAsync(token).ConfigureAwait(false);
            Volatile.Write(ref _lastCommitMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Interlocked.Increment(ref _commits);
        }

        CompleteWaiters(_log.CommittedUntilAddress);
        Interlocked.Exchange(ref _round, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        var someoneWaits = _afterRound();

        // Go again at once while there is work: entries appended meanwhile, a waiter, or a truncation not yet made.
        if (_log.TailAddress > _log.CommittedUntilAddress || someoneWaits || _truncationPoint() > _log.BeginAddress)
        {
            Wake();
        }
    }

    private void Truncate()
    {
        var point = _truncationPoint();
        if (point > _log.BeginAddress)
        {
            _log.TruncateUntil(point);
        }
    }

    private void CompleteWaiters(long committedUntil)
    {
        while (true)
        {
            Action callback;
            lock (_appendGate)
            {
                if (!_waiters.TryPeek(out var first) || first.Until > committedUntil)
                {
                    return;
                }

                callback = _waiters.Dequeue().Callback;
            }

            callback();
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Journal of {Source}: commit failed: {Reason}; retrying")]
    private static partial void LogCommitFailed(ILogger logger, string source, string reason);
}
