using System.Text.Json;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Tests.Codecs;

/// <summary>
/// Test-only encoder for the round-trip properties: writes one device's readings (same device, timestamp and
/// tags) as <c>{"deviceId":…,"ts":…,"values":{…},"tags":{…}}</c> with every metric under <c>values</c>.
/// </summary>
internal static class TestJsonEncoder
{
    public static byte[] EncodeNested(string deviceId, long timestampNs, IReadOnlyList<(string Metric, double Value)> metrics, TagSet tags)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("deviceId", deviceId);
            writer.WriteNumber("ts", timestampNs);
            writer.WriteStartObject("values");
            foreach (var (metric, value) in metrics)
            {
                writer.WriteNumber(metric, value);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("tags");
            foreach (var tag in tags)
            {
                writer.WriteString(tag.Key, tag.Value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>An array of flat objects <c>{"deviceId":…,"ts":…,"metric":value,…}</c>.</summary>
    public static byte[] EncodeFlatArray(IEnumerable<(string DeviceId, long TimestampNs, IReadOnlyList<(string Metric, double Value)> Metrics)> objects)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var (deviceId, timestampNs, metrics) in objects)
            {
                writer.WriteStartObject();
                writer.WriteString("deviceId", deviceId);
                writer.WriteNumber("ts", timestampNs);
                foreach (var (metric, value) in metrics)
                {
                    writer.WriteNumber(metric, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return stream.ToArray();
    }
}
