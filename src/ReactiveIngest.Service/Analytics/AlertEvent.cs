using System.Globalization;
using System.Text.Json;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// An alert as published: JSON <c>{"rule","type","device","metric","value","state","eventTime","timestampNs","detail"}</c>
/// where <c>state</c> is <c>raised</c> or <c>cleared</c>, <c>eventTime</c> is the triggering reading's event time in
/// ISO 8601 UTC and <c>timestampNs</c> the same in epoch nanoseconds. Delivery is at least once: rule, device, state
/// and timestampNs identify an event, so a consumer can drop duplicates.
/// </summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Type">The rule's type.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Value">The value that raised or cleared the alarm.</param>
/// <param name="State">Raised or cleared.</param>
/// <param name="TimestampNs">Event time of that value, epoch ns.</param>
/// <param name="Detail">A human-readable explanation.</param>
public sealed record AlertEvent(string Rule, AlertRuleType Type, string DeviceId, string Metric, double Value, AlertState State, long TimestampNs, string Detail)
{
    /// <summary>The event as UTF-8 JSON.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("rule", Rule);
            json.WriteString("type", Type == AlertRuleType.Threshold ? "threshold" : "stuckSensor");
            json.WriteString("device", DeviceId);
            json.WriteString("metric", Metric);
            json.WriteNumber("value", Value);
            json.WriteString("state", State == AlertState.Raised ? "raised" : "cleared");
            json.WriteString("eventTime", UnixTime.ToDateTimeOffset(TimestampNs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteNumber("timestampNs", TimestampNs);
            json.WriteString("detail", Detail);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
