using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Samples.CustomRxTransform;

/// <summary>What the sample's transform emits: a reading and its series' exponentially weighted moving average.</summary>
public readonly record struct SmoothedReading(Reading Reading, double Average);
