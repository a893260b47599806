namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Byte-level scanning of line protocol for <see cref="LineProtocolDecoder"/>: finding unescaped delimiters and
/// closing quotes, skipping spaces, and removing escape backslashes.
/// </summary>
internal static class LineProtocolScanner
{
    /// <summary>The index of the first byte at or after <paramref name="position"/> that is not a space, or the length.</summary>
    public static int SkipSpaces(ReadOnlySpan<byte> line, int position)
    {
        while (position < line.Length && line[position] == (byte)' ')
        {
            position++;
        }

        return position;
    }

    /// <summary>Copies <paramref name="raw"/> without its escape backslashes; returns the length written.</summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination, bool measurement)
    {
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == (byte)'\\' && i + 1 < raw.Length && IsEscapable(raw[i + 1], measurement))
            {
                b = raw[++i];
            }

            destination[length++] = b;
        }

        return length;
    }

    public static bool IsEscapable(byte b, bool measurement) =>
        b is (byte)',' or (byte)' ' or (byte)'\\' || (b == (byte)'=' && !measurement);

    /// <summary>The index of the first unescaped <paramref name="a"/>, <paramref name="b"/> or <paramref name="c"/> at or after <paramref name="start"/>, or the length.</summary>
    public static int ScanTo(ReadOnlySpan<byte> line, int start, byte a, byte b, byte c)
    {
        for (var i = start; i < line.Length; i++)
        {
            var current = line[i];
            if (current == (byte)'\\')
            {
                i++; // the next byte is escaped (or literal): never a delimiter
                continue;
            }

            if (current == a || current == b || current == c)
            {
                return i;
            }
        }

        return line.Length;
    }

    public static int FindClosingQuote(ReadOnlySpan<byte> line, int start)
    {
        for (var i = start; i < line.Length; i++)
        {
            if (line[i] == (byte)'\\')
            {
                i++;
            }
            else if (line[i] == (byte)'"')
            {
                return i;
            }
        }

        return -1;
    }
}
