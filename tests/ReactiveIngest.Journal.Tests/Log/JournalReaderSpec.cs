using FASTER.core;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Journal.Tests.Support;
using Xunit;

namespace ReactiveIngest.Journal.Tests.Log;

public sealed class JournalReaderSpec : IDisposable
{
    private readonly TempJournal _dir = new();
    private readonly IDevice _device;
    private readonly FasterLog _log;
    private readonly List<JournalDamage> _damage = [];

    public JournalReaderSpec()
    {
        Directory.CreateDirectory(_dir.Directory);
        (_device, _log) = JournalFiles.CreateLog(_dir.Settings());
    }

    private void Append(int seq) => _log.Enqueue(Entry(TempJournal.Message(seq)));

    private static byte[] Entry(RawMessage message)
    {
        var entry = new byte[JournalEntryCodec.SizeOf(message)];
        JournalEntryCodec.Write(message, acknowledged: true, entry);
        return entry;
    }

    private JournalReader Reader(ReleaseTracker tracker) => new(_log, _dir.Settings("mqtt:reader"), tracker, _damage.Add);

    private static List<(int Seq, long Sequence)> ReadAll(JournalReader reader)
    {
        var read = new List<(int, long)>();
        while (reader.TryRead(out var message, out var sequence))
        {
            read.Add((TempJournal.SeqOf(message), sequence));
        }

        return read;
    }

    [Fact]
    public void Committed_entries_should_be_read_in_order_as_their_messages_each_with_the_next_tracker_sequence()
    {
        for (var i = 0; i < 10; i++)
        {
            Append(i);
        }

        _log.Commit(spinWait: true);
        Append(10);
        var tracker = new ReleaseTracker(1024, _log.BeginAddress);
        using var reader = Reader(tracker);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (i, (long)i)), ReadAll(reader));
        Assert.Equal(10, reader.EntriesRead);
        Assert.Equal(10, tracker.Unreleased);
        Assert.Equal(_log.CommittedUntilAddress, reader.NextAddress);

        _log.Commit(spinWait: true);
        Assert.True(reader.TryRead(out var last, out _));
        Assert.Equal(("mqtt:reader", TempJournal.Message(10).Context), (last.Source, last.Context));
        Assert.Empty(_damage);
    }

    [Fact]
    public void An_entry_that_does_not_decode_should_be_reported_skipped_and_released_and_the_next_one_delivered()
    {
        Append(0);
        Assert.True(_log.TryEnqueue(new byte[] { 99, 1, 2, 3 }, out var bad));
        Append(2);
        _log.Commit(spinWait: true);
        var tracker = new ReleaseTracker(1024, _log.BeginAddress);
        using var reader = Reader(tracker);

        Assert.Equal([0, 2], ReadAll(reader).Select(r => r.Seq));

        var damage = Assert.Single(_damage);
        Assert.Equal((Path.Combine(_dir.Directory, "log.0"), bad), (damage.File, damage.Address));
        Assert.Contains("format version 99", damage.Detail, StringComparison.Ordinal);
        Assert.Equal(3, reader.EntriesRead);
        Assert.Equal(2, tracker.Unreleased);
    }

    [Fact]
    public void A_full_tracker_should_block_the_reader_until_entries_are_released()
    {
        for (var i = 0; i < ReleaseTracker.ChunkSize + 1; i++)
        {
            Append(i);
        }

        _log.Commit(spinWait: true);
        var tracker = new ReleaseTracker(ReleaseTracker.ChunkSize, _log.BeginAddress);
        using var reader = Reader(tracker);

        var read = ReadAll(reader);
        Assert.Equal(ReleaseTracker.ChunkSize, read.Count);
        Assert.True(reader.Blocked);

        tracker.Release(read[0].Sequence);
        reader.Blocked = false;
        Assert.True(reader.TryRead(out var next, out _));
        Assert.Equal(ReleaseTracker.ChunkSize, TempJournal.SeqOf(next));
        Assert.False(reader.Blocked);
    }

    public void Dispose()
    {
        _log.Dispose();
        _device.Dispose();
        _dir.Dispose();
    }
}
