using System.Buffers.Binary;
using System.Text;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Journal.Log;

/// <summary>
/// The bytes of one journal entry: what the graph needs to process a message again after a restart.
/// <code>
/// u8 version (1) | u8 flags (1 = has key, 2 = acknowledged at the source) | i32 partition | i64 receivedAtNs
/// | u16 topic length | topic UTF-8 | [u16 key length | key UTF-8] | payload
/// </code>
/// Little-endian. The checksum is FasterLog's (per entry); the version lets a later format read an older journal.
/// </summary>
public static class JournalEntryCodec
{
    /// <summary>The format version written now.</summary>
    public const byte Version = 1;

    private const byte HasKey = 1;
    private const byte Acknowledged = 2;
    private const int FixedHeader = 1 + 1 + 4 + 8 + 2;

    /// <summary>The encoded size of <paramref name="message"/>.</summary>
    public static int SizeOf(RawMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = FixedHeader + Encoding.UTF8.GetByteCount(message.Context.Topic) + message.Payload.Length;
        if (message.Context.Key is { } key)
        {
            size += 2 + Encoding.UTF8.GetByteCount(key);
        }

        return size;
    }

    /// <summary>Writes <paramref name="message"/> into <paramref name="destination"/> (at least <see cref="SizeOf"/> bytes); returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The topic or key is longer than 65,535 UTF-8 bytes.</exception>
    public static int Write(RawMessage message, bool acknowledged, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        var key = message.Context.Key;
        destination[0] = Version;
        destination[1] = (byte)((key is null ? 0 : HasKey) | (acknowledged ? Acknowledged : 0));
        BinaryPrimitives.WriteInt32LittleEndian(destination[2..], message.Partition);
        BinaryPrimitives.WriteInt64LittleEndian(destination[6..], message.Context.ReceivedAtNs);
        var offset = 14;
        offset += WriteText(message.Context.Topic, destination[offset..]);
        if (key is not null)
        {
            offset += WriteText(key, destination[offset..]);
        }

        message.Payload.Span.CopyTo(destination[offset..]);
        return offset + message.Payload.Length;
    }

    /// <summary>Reads an entry written by <see cref="Write"/>; the payload is a slice of <paramref name="entry"/>, topics and keys come from <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The bytes are not an entry of a known version.</exception>
    public static RawMessage Read(ReadOnlyMemory<byte> entry, string source, StringPool text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = entry.Span;
        if (span.Length < FixedHeader || span[0] != Version)
        {
            throw new FormatException(span.Length < FixedHeader
                ? $"entry of {span.Length} bytes is shorter than the {FixedHeader}-byte header"
                : $"entry has format version {span[0]}, this build reads version {Version}");
        }

        var flags = span[1];
        var partition = BinaryPrimitives.ReadInt32LittleEndian(span[2..]);
        var receivedAtNs = BinaryPrimitives.ReadInt64LittleEndian(span[6..]);
        var offset = 14;
        var topic = ReadText(span, ref offset, text);
        string? key = null;
        if ((flags & HasKey) != 0)
        {
            key = ReadText(span, ref offset, text);
        }

        return new RawMessage(entry[offset..], new MessageContext(topic, receivedAtNs, key), source, partition);
    }

    private static int WriteText(string value, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetBytes(value, destination[2..]);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"a topic or key of {length} UTF-8 bytes is longer than the journal's limit of {ushort.MaxValue}", nameof(value));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)length);
        return 2 + length;
    }

    private static string ReadText(ReadOnlySpan<byte> span, ref int offset, StringPool text)
    {
        if (offset + 2 > span.Length)
        {
            throw new FormatException($"entry ends inside a text length at byte {offset}");
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
        offset += 2;
        if (offset + length > span.Length)
        {
            throw new FormatException($"text of {length} bytes at byte {offset} runs past the entry's end ({span.Length})");
        }

        var value = length == 0 ? string.Empty : text.GetUtf8(span.Slice(offset, length));
        offset += length;
        return value;
    }
}
