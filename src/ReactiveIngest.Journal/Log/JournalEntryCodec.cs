using System.Buffers.Binary;
using System.Text;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Journal.Log;

/// <summary>
/// The bytes of one journal entry: what the graph needs to process a message again after a restart.
/// <code>
/// u8 version (2) | u32 CRC-32C of every byte after it | u8 flags (1 = has key, 2 = acknowledged at the source)
/// | i32 partition | i64 receivedAtNs | u16 topic length | topic UTF-8 | [u16 key length | key UTF-8] | payload
/// </code>
/// Little-endian. Version 1 (written before the checksum) is the same without the CRC field and is still read.
/// </summary>
/// <remarks>
/// The entry carries its own checksum because FasterLog verifies its per-entry checksum only for pages it reads back
/// from disk: the pages a recovered log keeps in memory (its tail) are scanned unchecked, so garbage there would
/// otherwise pass as an entry.
/// </remarks>
public static class JournalEntryCodec
{
    /// <summary>The format version written now.</summary>
    public const byte Version = 2;

    private const byte VersionWithoutChecksum = 1;
    private const byte HasKey = 1;
    private const byte Acknowledged = 2;
    private const int ChecksumOffset = 1;
    private const int FixedHeader = 1 + 4 + 1 + 4 + 8 + 2;

    /// <summary>
    /// The largest encoded size of a message whose payload, topic and key together take <paramref name="messageBytes"/>
    /// UTF-8 bytes: those bytes plus the fixed header and the key's length prefix. A limit on message size fits the
    /// journal when this is at most the page size less 64 bytes (see <see cref="JournalSettings.PageSize"/>).
    /// </summary>
    public static int EntryBytesFor(int messageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageBytes);
        return checked(messageBytes + FixedHeader + 2);
    }

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
        var offset = ChecksumOffset + 4;
        destination[offset] = (byte)((key is null ? 0 : HasKey) | (acknowledged ? Acknowledged : 0));
        BinaryPrimitives.WriteInt32LittleEndian(destination[(offset + 1)..], message.Partition);
        BinaryPrimitives.WriteInt64LittleEndian(destination[(offset + 5)..], message.Context.ReceivedAtNs);
        offset += 13;
        offset += WriteText(message.Context.Topic, destination[offset..]);
        if (key is not null)
        {
            offset += WriteText(key, destination[offset..]);
        }

        message.Payload.Span.CopyTo(destination[offset..]);
        var length = offset + message.Payload.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[ChecksumOffset..], Crc32C.Of(destination[(ChecksumOffset + 4)..length]));
        return length;
    }

    /// <summary>
    /// Checks that <paramref name="entry"/> is a whole entry of a known version whose checksum matches, without
    /// decoding it; returns null when it is, else what is wrong.
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> entry) => CheckHeader(entry, out _);

    /// <summary>Reads an entry written by <see cref="Write"/>; the payload is a slice of <paramref name="entry"/>, topics and keys come from <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The bytes are not an entry of a known version, or their checksum does not match.</exception>
    public static RawMessage Read(ReadOnlyMemory<byte> entry, string source, StringPool text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = entry.Span;
        if (CheckHeader(span, out var offset) is { } problem)
        {
            throw new FormatException(problem);
        }

        var flags = span[offset];
        var partition = BinaryPrimitives.ReadInt32LittleEndian(span[(offset + 1)..]);
        var receivedAtNs = BinaryPrimitives.ReadInt64LittleEndian(span[(offset + 5)..]);
        offset += 13;
        var topic = ReadText(span, ref offset, text);
        string? key = null;
        if ((flags & HasKey) != 0)
        {
            key = ReadText(span, ref offset, text);
        }

        return new RawMessage(entry[offset..], new MessageContext(topic, receivedAtNs, key), source, partition);
    }

    /// <summary>Null when the version is known, the entry long enough and (version 2) the checksum right; <paramref name="flagsAt"/> is where the flags byte is.</summary>
    private static string? CheckHeader(ReadOnlySpan<byte> span, out int flagsAt)
    {
        flagsAt = 0;
        if (span.IsEmpty)
        {
            return "entry is empty";
        }

        switch (span[0])
        {
            case Version:
                flagsAt = ChecksumOffset + 4;
                if (span.Length < FixedHeader)
                {
                    return $"entry of {span.Length} bytes is shorter than the {FixedHeader}-byte header";
                }

                var stored = BinaryPrimitives.ReadUInt32LittleEndian(span[ChecksumOffset..]);
                var actual = Crc32C.Of(span[flagsAt..]);
                return stored == actual ? null : $"checksum mismatch (stored {stored:x8}, computed {actual:x8} over {span.Length - flagsAt} bytes)";
            case VersionWithoutChecksum:
                flagsAt = 1;
                return span.Length < FixedHeader - 4 ? $"entry of {span.Length} bytes is shorter than the {FixedHeader - 4}-byte header" : null;
            default:
                return $"entry has format version {span[0]}, this build reads versions {VersionWithoutChecksum} and {Version}";
        }
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
