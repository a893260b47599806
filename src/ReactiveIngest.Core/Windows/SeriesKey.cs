using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Windows;

/// <summary>The identity of a series: device, metric and the configured key tags.</summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Tags">The reading's tags restricted to <see cref="WindowOptions.KeyTags"/>.</param>
public readonly record struct SeriesKey(string DeviceId, string Metric, TagSet Tags);
