using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Codecs;

/// <summary>The identity a line's tag section (and topic) resolves to; cached per distinct tag section.</summary>
/// <param name="DeviceId">The device id, or null when neither the tags nor the topic give one.</param>
/// <param name="Tags">The remaining tags (without the device-id tag), merged with the topic's.</param>
internal sealed record LineProtocolSeries(string? DeviceId, TagSet Tags);
