using System.Collections.Concurrent;
using FASTER.core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Journal.Tests.Support;
using Xunit;

namespace ReactiveIngest.Journal.Tests.Log;

public sealed class GroupCommitterSpec : IAsyncLifetime
{
    private readonly TempJournal _dir = new();
    private readonly TempJournal _journalDir = new();
    private readonly List<GroupCommitter> _running = [];
    private IDevice _device = null!;
    private FasterLog _log = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir.Directory);
        (_device, _log) = JournalFiles.CreateLog(_dir.Settings());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var committer in _running)
        {
            await committer.StopAsync();
            committer.Dispose();
        }

        _log.Dispose();
        _device.Dispose();
        _dir.Dispose();
        _journalDir.Dispose();
    }

    /// <summary>A committer of the spec's log, stopped when the spec ends; it truncates nowhere unless told to.</summary>
    private GroupCommitter Committer(JournalSettings settings, Func<long>? truncationPoint = null, ILogger? logger = null)
    {
        var committer = new GroupCommitter(_log, settings, logger ?? NullLogger.Instance, new object(), truncationPoint ?? (() => 0), () => false);
        _running.Add(committer);
        return committer;
    }

    /// <summary>Appends an entry of 100 bytes; returns its address.</summary>
    private long Append()
    {
        Assert.True(_log.TryEnqueue(new byte[100], out var address));
        return address;
    }

    [Fact]
    public async Task Appends_gathered_in_one_interval_should_be_committed_once_and_every_waiter_completed_in_append_order()
    {
        var committer = Committer(_dir.Settings() with { CommitInterval = TimeSpan.FromMilliseconds(100) });
        var completed = new ConcurrentQueue<int>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < 5; i++)
        {
            var n = i;
            committer.WhenCommitted(Append() + 1, () =>
            {
                completed.Enqueue(n);
                if (n == 4)
                {
                    last.SetResult();
                }
            });
        }

        committer.Start();
        committer.Wake();
        await last.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([0, 1, 2, 3, 4], completed);
        Assert.Equal(1, committer.Commits);
        Assert.Equal(_log.TailAddress, _log.CommittedUntilAddress);
    }

    [Fact]
    public async Task Under_manual_commit_a_waiter_should_run_only_after_the_requested_commit_that_covers_it()
    {
        var committer = Committer(_dir.Settings() with { ManualCommit = true });
        var ran = 0;
        committer.Start();
        var until = Append() + 1;
        committer.WhenCommitted(until, () => Interlocked.Increment(ref ran));
        committer.Wake();

        await Task.Delay(300);
        Assert.Equal(0, Volatile.Read(ref ran));
        Assert.True(_log.CommittedUntilAddress < until);

        var round = committer.NextRound;
        committer.RequestCommit();
        await round.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, Volatile.Read(ref ran));
        Assert.True(_log.CommittedUntilAddress >= until);
    }

    [Fact]
    public async Task A_failed_round_should_be_logged_and_retried_and_its_waiters_completed_only_by_the_commit_that_succeeds()
    {
        var failing = 1;
        var logger = new RecordingLogger();
        var committer = Committer(_dir.Settings(), () => Volatile.Read(ref failing) == 1 ? throw new IOException("disk gone") : 0L, logger);
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        committer.WhenCommitted(Append() + 1, committed.SetResult);
        committer.Start();
        committer.Wake();

        await Eventually.TrueAsync(() => logger.Entries.Any(e => e.Level == LogLevel.Warning && e.Message == "Journal of mqtt:test: commit failed: disk gone; retrying"), "the failed round logged");
        Assert.False(committed.Task.IsCompleted);
        Assert.Equal(0, committer.Commits);
        Assert.True(_log.CommittedUntilAddress < _log.TailAddress);

        // No one wakes it again: the idle round (at most a second later) is the retry.
        Volatile.Write(ref failing, 0);
        await committed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, committer.Commits);
    }

    [Fact]
    public async Task A_round_should_truncate_to_the_point_it_is_given_and_commit_that_truncation()
    {
        long point = 0;
        var committer = Committer(_dir.Settings(), () => Interlocked.Read(ref point));
        Append();
        var second = Append();
        Append();
        committer.Start();
        committer.Wake();
        await Eventually.TrueAsync(() => _log.CommittedUntilAddress == _log.TailAddress, "the entries committed");
        Assert.True(_log.CommittedBeginAddress < second);

        Interlocked.Exchange(ref point, second);
        committer.Wake();

        await Eventually.TrueAsync(() => _log.CommittedBeginAddress == second, "the truncation committed");
        Assert.Equal(second, _log.BeginAddress);
    }

    [Fact]
    public async Task Stopping_should_commit_what_is_left_and_complete_its_waiters_and_disposing_should_end_the_wait_for_a_round()
    {
        var committer = new GroupCommitter(_log, _dir.Settings() with { ManualCommit = true }, NullLogger.Instance, new object(), () => 0, () => false);
        var ran = 0;
        committer.Start();
        var until = Append() + 1;
        committer.WhenCommitted(until, () => Interlocked.Increment(ref ran));
        var round = committer.NextRound;

        await committer.StopAsync();
        Assert.Equal(1, Volatile.Read(ref ran));
        Assert.True(_log.CommittedUntilAddress >= until);
        Assert.False(round.IsCompleted);

        committer.Dispose();
        Assert.True(round.IsCompleted);
        committer.Wake();
    }

    [Fact]
    public async Task An_append_should_be_confirmed_and_readable_only_after_its_commit()
    {
        await using var journal = SourceJournal.Open(_journalDir.Settings() with { ManualCommit = true });
        var confirmed = 0;
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(JournalAppendStatus.Appended, journal.TryAppend(TempJournal.Message(i), acknowledged: true, () => Interlocked.Increment(ref confirmed)));
        }

        await Task.Delay(200);
        Assert.Equal(0, Volatile.Read(ref confirmed));
        Assert.False(journal.TryRead(out _));

        await journal.CommitAsync();

        Assert.Equal(10, Volatile.Read(ref confirmed));
        Assert.Equal(10, (await JournalSteps.ReadAsync(journal, 10)).Count);
    }
}
