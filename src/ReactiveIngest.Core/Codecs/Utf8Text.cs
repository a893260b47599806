using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// The UTF-8 check every text codec makes before decoding: identifiers are decoded with replacement otherwise, so an
/// invalid byte would silently become U+FFFD in a device id or metric name instead of being rejected.
/// </summary>
public static class Utf8Text
{
    /// <summary>Null when <paramref name="payload"/> is valid UTF-8, else a detail naming the first invalid byte's offset.</summary>
    public static string? Problem(ReadOnlySpan<byte> payload)
    {
        if (Utf8.IsValid(payload))
        {
            return null;
        }

        var offset = 0;
        while (offset < payload.Length)
        {
            if (Rune.DecodeFromUtf8(payload[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return $"the payload is not valid UTF-8 (byte 0x{payload[offset]:x2} at offset {offset})";
            }

            offset += consumed;
        }

        return "the payload is not valid UTF-8";
    }
}
