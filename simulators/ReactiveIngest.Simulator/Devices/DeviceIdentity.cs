namespace ReactiveIngest.Simulator.Devices;

/// <summary>Who a simulated device is: its index in the fleet, id, site and kind.</summary>
/// <param name="Index">0-based position in the fleet; the device part of every noise hash.</param>
/// <param name="DeviceId">The id sent in payloads and topics.</param>
/// <param name="Site">The site segment of the topic.</param>
/// <param name="Kind">Which model generates its values.</param>
public sealed record DeviceIdentity(int Index, string DeviceId, string Site, DeviceKind Kind)
{
    /// <summary>The MQTT topic the device publishes to: <c>sites/{site}/devices/{deviceId}/telemetry</c>.</summary>
    public string Topic { get; } = $"sites/{Site}/devices/{DeviceId}/telemetry";
}
