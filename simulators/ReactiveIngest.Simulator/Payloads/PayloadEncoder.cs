using System.Globalization;
using System.Text;
using System.Text.Unicode;
using ReactiveIngest.Simulator.Devices;

namespace ReactiveIngest.Simulator.Payloads;

/// <summary>
/// Writes readings as payload bytes. Values are written with the shortest round-trip format, so a decoder
/// parses back exactly the double the ground truth recorded.
/// </summary>
public sealed class PayloadEncoder(PayloadFormat format)
{
    private const int MaxPayloadBytes = 1024;

    // A per-thread scratch buffer instead of stackalloc: the stack buffer was zeroed on every call (1 KB memset per
    // message on the publish hot path). The encoder is shared by the sender shards, hence per thread.
    [ThreadStatic]
    private static byte[]? t_scratch;

    /// <summary>The format this encoder writes.</summary>
    public PayloadFormat Format => format;

    /// <summary>Encodes one reading of <paramref name="device"/> with event time <paramref name="timestampMs"/>.</summary>
    public byte[] Encode(DeviceIdentity device, long timestampMs, IReadOnlyList<string> metrics, ReadOnlySpan<double> values)
    {
        var buffer = t_scratch ??= new byte[MaxPayloadBytes];
        var written = format == PayloadFormat.Json
            ? WriteJson(buffer, device, timestampMs, metrics, values, includeMetrics: true)
            : WriteLineProtocol(buffer, device, timestampMs, metrics, values);
        return buffer.AsSpan(0, written).ToArray();
    }

    /// <summary>Encodes a payload broken in the way <paramref name="kind"/> says.</summary>
    public byte[] EncodeMalformed(MalformedKind kind, DeviceIdentity device, long timestampMs, IReadOnlyList<string> metrics, ReadOnlySpan<double> values)
    {
        switch (kind)
        {
            case MalformedKind.Truncated:
                var whole = Encode(device, timestampMs, metrics, values);
                return whole[..(whole.Length / 2)];
            case MalformedKind.StringValue:
                var text = format == PayloadFormat.Json
                    ? $"{{\"deviceId\":\"{device.DeviceId}\",\"ts\":{timestampMs},\"{metrics[0]}\":\"warm\"}}"
                    : $"{Measurement(device)},deviceId={device.DeviceId},site={device.Site} {metrics[0]}=\"warm\" {timestampMs * 1_000_000}";
                return Encoding.UTF8.GetBytes(text);
            case MalformedKind.Garbage:
                var garbage = new byte[16 + (int)(timestampMs % 16)];
                for (var i = 0; i < garbage.Length; i++)
                {
                    garbage[i] = (byte)(0x80 | (int)((timestampMs >> (i % 8)) & 0x7F) | (i & 1));
                }

                return garbage;
            case MalformedKind.NoMetrics:
                var empty = format == PayloadFormat.Json
                    ? $"{{\"deviceId\":\"{device.DeviceId}\",\"ts\":{timestampMs}}}"
                    : $"{Measurement(device)},deviceId={device.DeviceId},site={device.Site} {timestampMs * 1_000_000}";
                return Encoding.UTF8.GetBytes(empty);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown malformed kind.");
        }
    }

    /// <summary>The line-protocol measurement of a device: its kind in lower case.</summary>
    public static string Measurement(DeviceIdentity device) => device.Kind switch
    {
        DeviceKind.Environmental => "environmental",
        DeviceKind.Vibration => "vibration",
        DeviceKind.PowerMeter => "power",
        DeviceKind.GpsTracker => "gps",
        DeviceKind.Battery => "battery",
        _ => "telemetry",
    };

    private static int WriteJson(Span<byte> buffer, DeviceIdentity device, long timestampMs, IReadOnlyList<string> metrics, ReadOnlySpan<double> values, bool includeMetrics)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!Utf8.TryWrite(buffer, inv, $"{{\"deviceId\":\"{device.DeviceId}\",\"ts\":{timestampMs}", out var n))
        {
            throw new InvalidOperationException("Payload exceeds the encoder buffer.");
        }

        if (includeMetrics)
        {
            for (var i = 0; i < metrics.Count; i++)
            {
                if (!Utf8.TryWrite(buffer[n..], inv, $",\"{metrics[i]}\":{values[i]:R}", out var m))
                {
                    throw new InvalidOperationException("Payload exceeds the encoder buffer.");
                }

                n += m;
            }
        }

        buffer[n++] = (byte)'}';
        return n;
    }

    private static int WriteLineProtocol(Span<byte> buffer, DeviceIdentity device, long timestampMs, IReadOnlyList<string> metrics, ReadOnlySpan<double> values)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!Utf8.TryWrite(buffer, inv, $"{Measurement(device)},deviceId={device.DeviceId},site={device.Site} ", out var n))
        {
            throw new InvalidOperationException("Payload exceeds the encoder buffer.");
        }

        for (var i = 0; i < metrics.Count; i++)
        {
            var separator = i == 0 ? string.Empty : ",";
            if (!Utf8.TryWrite(buffer[n..], inv, $"{separator}{metrics[i]}={values[i]:R}", out var m))
            {
                throw new InvalidOperationException("Payload exceeds the encoder buffer.");
            }

            n += m;
        }

        if (!Utf8.TryWrite(buffer[n..], inv, $" {timestampMs * 1_000_000}", out var t))
        {
            throw new InvalidOperationException("Payload exceeds the encoder buffer.");
        }

        return n + t;
    }
}
