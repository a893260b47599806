using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Journal.Tests.Support;
using Xunit;

namespace ReactiveIngest.Journal.Tests.Log;

public sealed class SourceJournalSpec : IDisposable
{
    private readonly TempJournal _dir = new();

    [Fact]
    public async Task Appended_entries_should_be_read_back_in_order_with_their_topic_time_key_and_partition()
    {
        await using var journal = SourceJournal.Open(_dir.Settings("mqtt:devices"));
        await JournalSteps.AppendAsync(journal, 0, 50);

        var read = await JournalSteps.ReadAsync(journal, 50);

        Assert.Equal(Enumerable.Range(0, 50), read.Select(e => TempJournal.SeqOf(e.Payload)));
        var expected = TempJournal.Message(7);
        var seven = read[7].Payload;
        Assert.Equal((expected.Context, expected.Partition, "mqtt:devices"), (seven.Context, seven.Partition, seven.Source));
        Assert.Equal(expected.Payload.ToArray(), seven.Payload.ToArray());
        Assert.False(journal.TryRead(out _));
        Assert.Equal(50, journal.Statistics.Appended);
    }

    [Fact]
    public async Task Reopening_should_deliver_again_every_entry_that_was_not_released()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await JournalSteps.AppendAsync(journal, 0, 20);
            var read = await JournalSteps.ReadAsync(journal, 20);
            foreach (var e in read.Take(12))
            {
                e.Ack.Release();
            }
        }

        await using var reopened = SourceJournal.Open(_dir.Settings());
        await JournalSteps.AppendAsync(reopened, 20, 5);
        var again = await JournalSteps.ReadAsync(reopened, 13);
        Assert.Equal(Enumerable.Range(12, 13), again.Select(e => TempJournal.SeqOf(e.Payload)));
        Assert.Empty(reopened.Damage);
    }

    [Fact]
    public async Task Releases_out_of_order_should_truncate_only_up_to_the_oldest_unreleased_entry()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await JournalSteps.AppendAsync(journal, 0, 10);
            var read = await JournalSteps.ReadAsync(journal, 10);
            foreach (var i in new[] { 0, 1, 3, 4, 9 })
            {
                read[i].Ack.Release();
            }

            await journal.CommitAsync();
            Assert.Equal(5, journal.Statistics.EntriesPending);
        }

        await using var reopened = SourceJournal.Open(_dir.Settings());
        var again = await JournalSteps.ReadAsync(reopened, 8);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9], again.Select(e => TempJournal.SeqOf(e.Payload)));
    }

    [Fact]
    public async Task Releases_after_the_truncation_is_held_should_be_delivered_again_after_a_restart()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await JournalSteps.AppendAsync(journal, 0, 10);
            var read = await JournalSteps.ReadAsync(journal, 10);
            foreach (var e in read.Take(4))
            {
                e.Ack.Release();
            }

            journal.HoldTruncation();
            foreach (var e in read.Skip(4))
            {
                e.Ack.Release();
            }
        }

        await using var reopened = SourceJournal.Open(_dir.Settings());
        Assert.Equal(Enumerable.Range(4, 6), (await JournalSteps.ReadAsync(reopened, 6)).Select(e => TempJournal.SeqOf(e.Payload)));
    }

    [Fact]
    public async Task A_full_budget_should_refuse_appends_until_released_entries_are_truncated()
    {
        var settings = _dir.Settings() with { SegmentSize = 1024 * 1024, DiskBudget = 2 * 1024 * 1024 };
        await using var journal = SourceJournal.Open(settings);
        var big = new RawMessage(new byte[30_000], new MessageContext("t", 1), "s");
        var appended = 0;
        while (journal.TryAppend(big, true, null) is var status && status != JournalAppendStatus.BudgetFull)
        {
            if (status == JournalAppendStatus.Appended)
            {
                appended++;
            }
            else
            {
                await journal.CommitAsync();
            }
        }

        Assert.True(journal.IsFull);
        Assert.True(journal.Statistics.BudgetFull);
        await Assert.ThrowsAsync<JournalFullException>(() => journal.AppendAsync(big));
        Assert.True(journal.Statistics.RefusedFull >= 2);

        var writable = new TaskCompletionSource();
        journal.NotifyWhenWritable(() => writable.TrySetResult());
        await journal.CommitAsync();
        var read = await JournalSteps.ReadAsync(journal, appended);
        Assert.False(writable.Task.IsCompleted);
        foreach (var e in read.Take(appended / 2))
        {
            e.Ack.Release();
        }

        await writable.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(journal.IsFull);
        await journal.AppendAsync(big);
    }

    public void Dispose() => _dir.Dispose();
}
