using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Journal.Tests.Support;
using ReactiveIngest.Streams.Delivery;
using Xunit;

namespace ReactiveIngest.Journal.Tests.Log;

public sealed class SourceJournalSpec : IDisposable
{
    private readonly TempJournal _dir = new();

    private static async Task<List<Envelope<RawMessage>>> ReadAsync(SourceJournal journal, int count)
    {
        var read = new List<Envelope<RawMessage>>();
        await Eventually.TrueAsync(() =>
        {
            while (read.Count < count && journal.TryRead(out var e))
            {
                read.Add(e);
            }

            return read.Count == count;
        }, $"{count} entries read");
        return read;
    }

    private static async Task AppendAsync(SourceJournal journal, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            await journal.AppendAsync(TempJournal.Message(i));
        }
    }

    /// <summary>Appends entries 0–99, closes the journal, and writes <paramref name="bytes"/> into its segment file <paramref name="fromTail"/> bytes before the tail.</summary>
    private async Task<(string Segment, long Tail)> AppendHundredThenOverwriteAsync(long fromTail, byte[] bytes)
    {
        long tail;
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await AppendAsync(journal, 0, 100);
            tail = journal.Statistics.TailAddress;
        }

        var segment = Path.Combine(_dir.Directory, "log.0");
        await using var file = new FileStream(segment, FileMode.Open, FileAccess.Write);
        file.Seek(tail - fromTail, SeekOrigin.Begin);
        await file.WriteAsync(bytes);
        return (segment, tail);
    }

    [Fact]
    public async Task Appended_entries_should_be_read_back_in_order_with_their_topic_time_key_and_partition()
    {
        await using var journal = SourceJournal.Open(_dir.Settings("mqtt:devices"));
        await AppendAsync(journal, 0, 50);

        var read = await ReadAsync(journal, 50);

        Assert.Equal(Enumerable.Range(0, 50), read.Select(e => TempJournal.SeqOf(e.Payload)));
        var expected = TempJournal.Message(7);
        var seven = read[7].Payload;
        Assert.Equal((expected.Context, expected.Partition, "mqtt:devices"), (seven.Context, seven.Partition, seven.Source));
        Assert.Equal(expected.Payload.ToArray(), seven.Payload.ToArray());
        Assert.False(journal.TryRead(out _));
        Assert.Equal(50, journal.Statistics.Appended);
    }

    [Fact]
    public async Task An_append_should_be_confirmed_and_readable_only_after_its_commit()
    {
        await using var journal = SourceJournal.Open(_dir.Settings() with { ManualCommit = true });
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
        Assert.Equal(10, (await ReadAsync(journal, 10)).Count);
    }

    [Fact]
    public async Task Reopening_should_deliver_again_every_entry_that_was_not_released()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await AppendAsync(journal, 0, 20);
            var read = await ReadAsync(journal, 20);
            foreach (var e in read.Take(12))
            {
                e.Ack.Release();
            }
        }

        await using var reopened = SourceJournal.Open(_dir.Settings());
        await AppendAsync(reopened, 20, 5);
        var again = await ReadAsync(reopened, 13);
        Assert.Equal(Enumerable.Range(12, 13), again.Select(e => TempJournal.SeqOf(e.Payload)));
        Assert.Empty(reopened.Damage);
    }

    [Fact]
    public async Task Releases_out_of_order_should_truncate_only_up_to_the_oldest_unreleased_entry()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await AppendAsync(journal, 0, 10);
            var read = await ReadAsync(journal, 10);
            foreach (var i in new[] { 0, 1, 3, 4, 9 })
            {
                read[i].Ack.Release();
            }

            await journal.CommitAsync();
            Assert.Equal(5, journal.Statistics.EntriesPending);
        }

        await using var reopened = SourceJournal.Open(_dir.Settings());
        var again = await ReadAsync(reopened, 8);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9], again.Select(e => TempJournal.SeqOf(e.Payload)));
    }

    [Fact]
    public async Task Releases_after_the_truncation_is_held_should_be_delivered_again_after_a_restart()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await AppendAsync(journal, 0, 10);
            var read = await ReadAsync(journal, 10);
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
        Assert.Equal(Enumerable.Range(4, 6), (await ReadAsync(reopened, 6)).Select(e => TempJournal.SeqOf(e.Payload)));
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
        var read = await ReadAsync(journal, appended);
        Assert.False(writable.Task.IsCompleted);
        foreach (var e in read.Take(appended / 2))
        {
            e.Ack.Release();
        }

        await writable.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(journal.IsFull);
        await journal.AppendAsync(big);
    }

    [Fact]
    public async Task A_new_journal_and_an_emptied_one_should_open_without_damage()
    {
        await using (var fresh = SourceJournal.Open(_dir.Settings()))
        {
            Assert.Empty(fresh.Damage);
        }

        // Reopened while still empty (the service's first restart), then after every entry was released and truncated.
        await using (var empty = SourceJournal.Open(_dir.Settings()))
        {
            Assert.Empty(empty.Damage);
            await AppendAsync(empty, 0, 1);
            var read = await ReadAsync(empty, 1);
            read[0].Ack.Release();
        }

        await using var emptied = SourceJournal.Open(_dir.Settings());
        Assert.Empty(emptied.Damage);
        Assert.False(emptied.TryRead(out _));
    }

    [Fact]
    public async Task A_second_instance_on_the_same_directory_should_be_refused()
    {
        await using var journal = SourceJournal.Open(_dir.Settings());
        var e = Assert.Throws<IOException>(() => SourceJournal.Open(_dir.Settings()));
        Assert.Contains("journal.lock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_written_into_the_tail_of_a_segment_should_be_reported_and_the_valid_prefix_delivered()
    {
        // The last few entries' bytes (each is about 50 bytes): overwrite them with garbage.
        var garbage = new byte[100];
        new Random(7).NextBytes(garbage);
        var (segment, tail) = await AppendHundredThenOverwriteAsync(fromTail: 120, garbage);

        await using var reopened = SourceJournal.Open(_dir.Settings());
        var damage = Assert.Single(reopened.Damage);
        Assert.Equal(segment, damage.File);
        Assert.InRange(damage.Offset, 0, tail);

        var read = new List<int>();
        await Eventually.TrueAsync(() =>
        {
            while (reopened.TryRead(out var e))
            {
                read.Add(TempJournal.SeqOf(e.Payload));
            }

            return read.Count >= 90;
        }, "the valid prefix");
        Assert.Equal(Enumerable.Range(0, read.Count), read);
        Assert.InRange(read.Count, 90, 99);

        await reopened.AppendAsync(TempJournal.Message(1000));
        await Eventually.TrueAsync(() => reopened.TryRead(out var e) && TempJournal.SeqOf(e.Payload) == 1000, "a new entry after the damage");
    }

    [Fact]
    public async Task Changed_payload_bytes_in_the_recovered_tail_page_should_be_reported_at_open_and_that_entry_not_delivered()
    {
        // Two bytes inside the last entry's JSON payload: its length field and FasterLog's framing stay intact, and
        // FasterLog does not verify its own checksum on the tail page it keeps in memory after recovery.
        var (segment, _) = await AppendHundredThenOverwriteAsync(fromTail: 8, "00"u8.ToArray());

        await using var reopened = SourceJournal.Open(_dir.Settings());
        var damage = Assert.Single(reopened.Damage);
        Assert.Equal(segment, damage.File);
        Assert.Contains("checksum mismatch", damage.Detail, StringComparison.Ordinal);
        Assert.Equal(1, reopened.Statistics.Damaged);

        var read = await ReadAsync(reopened, 99);
        Assert.Equal(Enumerable.Range(0, 99), read.Select(e => TempJournal.SeqOf(e.Payload)));
        Assert.False(reopened.TryRead(out _));
    }

    [Fact]
    public void An_entry_whose_bytes_changed_after_writing_should_fail_its_checksum()
    {
        var message = TempJournal.Message(3);
        var buffer = new byte[JournalEntryCodec.SizeOf(message)];
        var length = JournalEntryCodec.Write(message, acknowledged: true, buffer);
        Assert.Null(JournalEntryCodec.Check(buffer.AsSpan(0, length)));

        buffer[length - 2] ^= 0x01;

        Assert.Contains("checksum mismatch", JournalEntryCodec.Check(buffer.AsSpan(0, length)), StringComparison.Ordinal);
        var e = Assert.Throws<FormatException>(() => JournalEntryCodec.Read(buffer.AsMemory(0, length), "mqtt:test", new ReactiveIngest.Core.Codecs.StringPool(16)));
        Assert.Contains("checksum mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_segment_file_shorter_than_its_committed_data_should_be_reported()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await AppendAsync(journal, 0, 100);
        }

        var segment = Path.Combine(_dir.Directory, "log.0");
        await using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(200);
        }

        await using var reopened = SourceJournal.Open(_dir.Settings());
        Assert.Contains(reopened.Damage, d => d.File == segment && d.Offset == 200 && d.Detail.Contains("truncated", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void An_oversize_head_should_keep_its_full_size_through_the_entry_codec()
    {
        var head = new RawMessage(new byte[] { 1, 2, 3 }, new MessageContext("devices/d1", 42, "k"), "s", 3, OversizeBytes: 16_777_216);
        var buffer = new byte[JournalEntryCodec.SizeOf(head)];
        var written = JournalEntryCodec.Write(head, acknowledged: true, buffer);
        Assert.Equal(buffer.Length, written);
        Assert.True(written <= JournalEntryCodec.EntryBytesFor(3 + "devices/d1".Length + 1));
        var read = JournalEntryCodec.Read(buffer, "s", new Core.Codecs.StringPool(16));
        Assert.Equal((16_777_216L, 3, "devices/d1", "k"), (read.OversizeBytes, read.Partition, read.Context.Topic, read.Context.Key));
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Payload.ToArray());

        var whole = TempJournal.Message(5);
        var plain = new byte[JournalEntryCodec.SizeOf(whole)];
        JournalEntryCodec.Write(whole, acknowledged: false, plain);
        Assert.False(JournalEntryCodec.Read(plain, "s", new Core.Codecs.StringPool(16)).IsOversize);
    }
}
