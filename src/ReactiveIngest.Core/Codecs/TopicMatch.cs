using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Codecs;

/// <summary>What a <see cref="TopicTemplate"/> extracted from a topic.</summary>
/// <param name="DeviceId">The <c>{deviceId}</c> level, or null when the template has none.</param>
/// <param name="Tags">One tag per other named placeholder.</param>
public sealed record TopicMatch(string? DeviceId, TagSet Tags);
