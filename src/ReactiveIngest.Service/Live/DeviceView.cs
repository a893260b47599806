namespace ReactiveIngest.Service.Live;

/// <summary>A device as the API shows it: when it was last seen and its latest value per metric.</summary>
public sealed record DeviceView(string DeviceId, DateTimeOffset LastSeen, IReadOnlyDictionary<string, LatestValue> Metrics);

/// <summary>The latest value of one metric of a device.</summary>
public sealed record LatestValue(double Value, DateTimeOffset Timestamp);
