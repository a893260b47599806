namespace ReactiveIngest.Service.Live;

/// <summary>A series the live view holds: its key (device, metric, window definition), how many results and the newest window.</summary>
public sealed record SeriesView(string DeviceId, string Metric, string Window, int Results, DateTimeOffset NewestWindowEnd);
