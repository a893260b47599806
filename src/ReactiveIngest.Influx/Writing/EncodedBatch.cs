using ReactiveIngest.Influx.Buffers;
using ReactiveIngest.Influx.LineProtocol;

namespace ReactiveIngest.Influx.Writing;

/// <summary>
/// Line-protocol lines encoded once into one pooled buffer, with the end offset of every line so that
/// any contiguous range of lines can be sent (or re-sent after a split) without encoding again.
/// Dispose returns the buffer to the pool. Not thread-safe; the writer only reads it.
/// </summary>
public sealed class EncodedBatch : IDisposable
{
    private readonly PooledBufferWriter _buffer;
    private readonly List<int> _lineEnds;

    /// <summary>Creates an empty batch for <paramref name="precision"/>.</summary>
    public EncodedBatch(WritePrecision precision = WritePrecision.Nanoseconds, int expectedPoints = 64, int expectedBytes = 8192)
    {
        Precision = precision;
        _buffer = new PooledBufferWriter(Math.Max(256, expectedBytes));
        _lineEnds = new List<int>(Math.Max(1, expectedPoints));
    }

    /// <summary>The precision the timestamps were written in.</summary>
    public WritePrecision Precision { get; }

    /// <summary>Number of lines.</summary>
    public int Count => _lineEnds.Count;

    /// <summary>Total bytes of all lines.</summary>
    public int ByteCount => _buffer.WrittenCount;

    /// <summary>Encodes and appends <paramref name="point"/>; returns null, or why it cannot be written (nothing appended).</summary>
    public PointRejection? TryAdd(LinePoint point)
    {
        if (!LineProtocolEncoder.TryWrite(_buffer, point, Precision, out var rejection))
        {
            return rejection;
        }

        _lineEnds.Add(_buffer.WrittenCount);
        return null;
    }

    /// <summary>Appends one already encoded line (must end with a line feed).</summary>
    public void AddEncoded(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[^1] != (byte)'\n')
        {
            throw new ArgumentException("An encoded line must end with a line feed.", nameof(line));
        }

        line.CopyTo(_buffer.GetSpan(line.Length));
        _buffer.Advance(line.Length);
        _lineEnds.Add(_buffer.WrittenCount);
    }

    /// <summary>The bytes of lines <paramref name="start"/> .. start+count-1.</summary>
    public ReadOnlyMemory<byte> Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        if (count == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var from = start == 0 ? 0 : _lineEnds[start - 1];
        var to = _lineEnds[start + count - 1];
        return _buffer.WrittenMemory[from..to];
    }

    /// <summary>The bytes of line <paramref name="index"/>, including its line feed.</summary>
    public ReadOnlyMemory<byte> Line(int index) => Slice(index, 1);

    /// <summary>Removes every line; keeps the storage.</summary>
    public void Clear()
    {
        _buffer.Clear();
        _lineEnds.Clear();
    }

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}
