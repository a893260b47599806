using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Journal.Tests.Support;
using Xunit;

namespace ReactiveIngest.Journal.Tests.Log;

public sealed class JournalRecoverySpec : IDisposable
{
    private readonly TempJournal _dir = new();

    /// <summary>Appends entries 0–99, closes the journal, and writes <paramref name="bytes"/> into its segment file <paramref name="fromTail"/> bytes before the tail.</summary>
    private async Task<(string Segment, long Tail)> AppendHundredThenOverwriteAsync(long fromTail, byte[] bytes)
    {
        long tail;
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await JournalSteps.AppendAsync(journal, 0, 100);
            tail = journal.Statistics.TailAddress;
        }

        var segment = Path.Combine(_dir.Directory, "log.0");
        await using var file = new FileStream(segment, FileMode.Open, FileAccess.Write);
        file.Seek(tail - fromTail, SeekOrigin.Begin);
        await file.WriteAsync(bytes);
        return (segment, tail);
    }

    /// <summary>The sequence numbers of the committed entries of <paramref name="recovered"/>, in log order.</summary>
    private static List<int> SequencesIn(RecoveredLog recovered)
    {
        var sequences = new List<int>();
        var text = new StringPool(16);
        using var scan = recovered.Log.Scan(recovered.Log.BeginAddress, recovered.Log.CommittedUntilAddress);
        while (scan.GetNext(out var entry, out var length, out _, out _))
        {
            sequences.Add(TempJournal.SeqOf(JournalEntryCodec.Read(entry.AsMemory(0, length), "mqtt:test", text)));
        }

        return sequences;
    }

    private static void Close(RecoveredLog recovered)
    {
        recovered.Log.Dispose();
        recovered.Device.Dispose();
    }

    [Fact]
    public async Task A_damaged_entry_should_be_reported_and_dropped_and_the_rest_kept_in_order()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await JournalSteps.AppendAsync(journal, 0, 100);
        }

        // Entry 50's payload, in the middle of the tail page: the framing is intact, only the entry's CRC can tell.
        var segment = Path.Combine(_dir.Directory, "log.0");
        var bytes = await File.ReadAllBytesAsync(segment);
        var at = bytes.AsSpan().IndexOf("\"seq\":50}"u8) + 6;
        bytes[at] = (byte)'x';
        await File.WriteAllBytesAsync(segment, bytes);

        using var held = JournalLock.Take(_dir.Directory);
        var recovered = JournalRecovery.Open(_dir.Settings());
        try
        {
            var damage = Assert.Single(recovered.Damage);
            Assert.Equal(segment, damage.File);
            Assert.InRange(damage.Offset, at - 120, at);
            Assert.Contains("checksum mismatch", damage.Detail, StringComparison.Ordinal);
            Assert.Contains($"kept in {_dir.Directory}.damaged-", damage.Detail, StringComparison.Ordinal);
            Assert.Equal(99, recovered.Entries);
            Assert.Equal(Enumerable.Range(0, 100).Where(i => i != 50), SequencesIn(recovered));
        }
        finally
        {
            Close(recovered);
        }

        var aside = Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(_dir.Directory)!, Path.GetFileName(_dir.Directory) + ".damaged-*"));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(aside, "log.0")));
        Assert.True(File.Exists(held.Path));
    }

    [Fact]
    public async Task Adjacent_damaged_entries_should_be_one_damage_record_and_separate_ones_two()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await JournalSteps.AppendAsync(journal, 0, 100);
        }

        var segment = Path.Combine(_dir.Directory, "log.0");
        var bytes = await File.ReadAllBytesAsync(segment);
        foreach (var seq in new[] { 20, 21, 70 })
        {
            bytes[bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes($"\"seq\":{seq}}}")) + 6] = (byte)'x';
        }

        await File.WriteAllBytesAsync(segment, bytes);

        var recovered = JournalRecovery.Open(_dir.Settings());
        try
        {
            Assert.Equal(2, recovered.Damage.Count);
            Assert.True(recovered.Damage[0].Address < recovered.Damage[1].Address);
            Assert.Equal(97, recovered.Entries);
            Assert.Equal(Enumerable.Range(0, 100).Except([20, 21, 70]), SequencesIn(recovered));
        }
        finally
        {
            Close(recovered);
        }
    }

    [Fact]
    public async Task A_repaired_journal_should_open_whole_and_deliver_what_was_kept()
    {
        await AppendHundredThenOverwriteAsync(fromTail: 8, "00"u8.ToArray());
        var first = JournalRecovery.Open(_dir.Settings());
        Assert.Single(first.Damage);
        Close(first);

        var second = JournalRecovery.Open(_dir.Settings());
        try
        {
            Assert.Empty(second.Damage);
            Assert.Equal(99, second.Entries);
            Assert.Equal(Enumerable.Range(0, 99), SequencesIn(second));
        }
        finally
        {
            Close(second);
        }
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
            await JournalSteps.AppendAsync(empty, 0, 1);
            var read = await JournalSteps.ReadAsync(empty, 1);
            read[0].Ack.Release();
        }

        await using var emptied = SourceJournal.Open(_dir.Settings());
        Assert.Empty(emptied.Damage);
        Assert.False(emptied.TryRead(out _));
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

        var read = await JournalSteps.ReadAsync(reopened, 99);
        Assert.Equal(Enumerable.Range(0, 99), read.Select(e => TempJournal.SeqOf(e.Payload)));
        Assert.False(reopened.TryRead(out _));
    }

    [Fact]
    public async Task A_segment_file_shorter_than_its_committed_data_should_be_reported()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            await JournalSteps.AppendAsync(journal, 0, 100);
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
}
