using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Journal.Tests.Support;
using Xunit;

namespace ReactiveIngest.Journal.Tests.Log;

public sealed class JournalEntryCodecSpec
{
    [Fact]
    public void An_entry_whose_bytes_changed_after_writing_should_fail_its_checksum()
    {
        var message = TempJournal.Message(3);
        var buffer = new byte[JournalEntryCodec.SizeOf(message)];
        var length = JournalEntryCodec.Write(message, acknowledged: true, buffer);
        Assert.Null(JournalEntryCodec.Check(buffer.AsSpan(0, length)));

        buffer[length - 2] ^= 0x01;

        Assert.Contains("checksum mismatch", JournalEntryCodec.Check(buffer.AsSpan(0, length)), StringComparison.Ordinal);
        var e = Assert.Throws<FormatException>(() => JournalEntryCodec.Read(buffer.AsMemory(0, length), "mqtt:test", new StringPool(16)));
        Assert.Contains("checksum mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversize_head_should_keep_its_full_size_through_the_entry_codec()
    {
        var head = new RawMessage(new byte[] { 1, 2, 3 }, new MessageContext("devices/d1", 42, "k"), "s", 3, OversizeBytes: 16_777_216);
        var buffer = new byte[JournalEntryCodec.SizeOf(head)];
        var written = JournalEntryCodec.Write(head, acknowledged: true, buffer);
        Assert.Equal(buffer.Length, written);
        Assert.True(written <= JournalEntryCodec.EntryBytesFor(3 + "devices/d1".Length + 1));
        var read = JournalEntryCodec.Read(buffer, "s", new StringPool(16));
        Assert.Equal((16_777_216L, 3, "devices/d1", "k"), (read.OversizeBytes, read.Partition, read.Context.Topic, read.Context.Key));
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Payload.ToArray());

        var whole = TempJournal.Message(5);
        var plain = new byte[JournalEntryCodec.SizeOf(whole)];
        JournalEntryCodec.Write(whole, acknowledged: false, plain);
        Assert.False(JournalEntryCodec.Read(plain, "s", new StringPool(16)).IsOversize);
    }
}
