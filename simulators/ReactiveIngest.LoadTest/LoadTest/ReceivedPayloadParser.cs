using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// Parses the simulator's own payloads back (JSON object with deviceId, ts and numeric metrics; or its line protocol).
/// Not a general decoder: it exists so the verifier can rebuild aggregates from what the broker delivered.
/// </summary>
public static class ReceivedPayloadParser
{
    /// <summary>Parses a payload; false when it is malformed (any non-numeric metric, syntax error, no metric).</summary>
    public static bool TryParse(ReadOnlySequence<byte> payload, bool lineProtocol, out string deviceId, out long timestampMs, List<(string Metric, double Value)> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.Clear();
        deviceId = string.Empty;
        timestampMs = 0;
        try
        {
            return lineProtocol ? TryParseLine(payload, ref deviceId, ref timestampMs, metrics) : TryParseJson(payload, ref deviceId, ref timestampMs, metrics);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool TryParseJson(ReadOnlySequence<byte> payload, ref string deviceId, ref long timestampMs, List<(string, double)> metrics)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var hasTs = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!reader.Read())
            {
                return false;
            }

            switch (name)
            {
                case "deviceId" when reader.TokenType == JsonTokenType.String:
                    deviceId = reader.GetString()!;
                    break;
                case "ts" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var ts):
                    timestampMs = ts;
                    hasTs = true;
                    break;
                default:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var value))
                    {
                        return false;
                    }

                    metrics.Add((name, value));
                    break;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && hasTs && deviceId.Length > 0 && metrics.Count > 0;
    }

    private static bool TryParseLine(ReadOnlySequence<byte> payload, ref string deviceId, ref long timestampMs, List<(string, double)> metrics)
    {
        var text = new UTF8Encoding(false, true).GetString(payload.ToArray());
        var parts = text.Split(' ');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ns))
        {
            return false;
        }

        foreach (var tag in parts[0].Split(',').Skip(1))
        {
            if (tag.StartsWith("deviceId=", StringComparison.Ordinal))
            {
                deviceId = tag["deviceId=".Length..];
            }
        }

        foreach (var field in parts[1].Split(','))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !double.TryParse(field.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            metrics.Add((field[..eq], value));
        }

        timestampMs = ns / 1_000_000;
        return deviceId.Length > 0 && metrics.Count > 0;
    }
}
