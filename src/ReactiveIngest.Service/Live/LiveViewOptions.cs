namespace ReactiveIngest.Service.Live;

/// <summary>Limits of the in-memory live view. Section <c>ReactiveIngest:LiveView</c>.</summary>
public sealed class LiveViewOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:LiveView";

    /// <summary>Most devices remembered; when full, the device seen least recently is forgotten (counted).</summary>
    public int MaxDevices { get; set; } = 100_000;

    /// <summary>Window results kept per device, metric and window spec (oldest dropped first).</summary>
    public int ResultsPerSeries { get; set; } = 360;

    /// <summary>Most (device, metric, window) series kept; when full, the least recently updated is dropped (counted).</summary>
    public int MaxSeries { get; set; } = 200_000;

    /// <summary>Per-subscriber buffer of the live stream; a slow client loses its oldest events (counted), never the pipeline.</summary>
    public int StreamBufferPerClient { get; set; } = 1_000;

    /// <summary>Most concurrent live-stream clients; more get 503.</summary>
    public int MaxStreamClients { get; set; } = 64;
}
