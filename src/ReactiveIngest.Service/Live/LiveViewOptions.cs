namespace ReactiveIngest.Service.Live;

/// <summary>Limits of the in-memory live view. Section <c>ReactiveIngest:LiveView</c>.</summary>
public sealed class LiveViewOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:LiveView";

    /// <summary>Most devices remembered; when full, the device seen least recently is forgotten (counted).</summary>
    public int MaxDevices { get; set; } = 100_000;

    /// <summary>Window results kept per series (device, metric, window definition); the oldest window is dropped first.</summary>
    public int ResultsPerSeries { get; set; } = 360;

    /// <summary>
    /// Most series (device, metric, window definition) kept; when full, the least recently updated series is dropped
    /// with its results (counted as seriesEvicted). A result takes about 200 bytes, so the live view holds at most
    /// about MaxSeries × ResultsPerSeries × 200 bytes (1.4 GB with the defaults; the demo's 512 device-metric series
    /// × 2 windows need 1,024). Top-N and the series list cover only the series kept; the aggregates query reads older or
    /// dropped results from InfluxDB when it is configured.
    /// </summary>
    public int MaxSeries { get; set; } = 20_000;

    /// <summary>Per-subscriber buffer of the live stream; a slow client loses its oldest events (counted), never the pipeline.</summary>
    public int StreamBufferPerClient { get; set; } = 1_000;

    /// <summary>Most concurrent live-stream clients; more get 503.</summary>
    public int MaxStreamClients { get; set; } = 64;
}
