using System.Buffers;
using System.Text;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Turns escaped line protocol identifiers (measurement, tag keys and values, field keys) into pooled strings
/// for <see cref="LineProtocolDecoder"/>, and builds metric names from the field key (and, when configured, the
/// measurement and a separator).
/// </summary>
internal sealed class LineProtocolNames
{
    private const int StackBuffer = 512;

    private readonly StringPool _strings;
    private readonly byte[]? _metricPrefixSeparator;

    /// <param name="strings">The decoder's string pool.</param>
    /// <param name="metricPrefixSeparator">The UTF-8 separator between measurement and field key, or null to name metrics by the field key alone.</param>
    public LineProtocolNames(StringPool strings, byte[]? metricPrefixSeparator)
    {
        _strings = strings;
        _metricPrefixSeparator = metricPrefixSeparator;
    }

    /// <summary>The metric name of a field.</summary>
    public string MetricName(ReadOnlySpan<byte> measurement, ReadOnlySpan<byte> fieldKey)
    {
        if (_metricPrefixSeparator is null)
        {
            return Identifier(fieldKey, measurement: false);
        }

        var needed = measurement.Length + _metricPrefixSeparator.Length + fieldKey.Length;
        if (needed > StackBuffer)
        {
            return Identifier(measurement, measurement: true) + Encoding.UTF8.GetString(_metricPrefixSeparator) + Identifier(fieldKey, measurement: false);
        }

        Span<byte> buffer = stackalloc byte[StackBuffer];
        var length = LineProtocolScanner.Unescape(measurement, buffer, measurement: true);
        _metricPrefixSeparator.CopyTo(buffer[length..]);
        length += _metricPrefixSeparator.Length;
        length += LineProtocolScanner.Unescape(fieldKey, buffer[length..], measurement: false);
        return _strings.GetUtf8(buffer[..length]);
    }

    /// <summary>An identifier without its escape backslashes, pooled.</summary>
    public string Identifier(ReadOnlySpan<byte> raw, bool measurement)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return _strings.GetUtf8(raw);
        }

        if (raw.Length <= StackBuffer)
        {
            Span<byte> buffer = stackalloc byte[StackBuffer];
            return _strings.GetUtf8(buffer[..LineProtocolScanner.Unescape(raw, buffer, measurement)]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            return _strings.GetUtf8(rented.AsSpan(0, LineProtocolScanner.Unescape(raw, rented, measurement)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
