using ReactiveIngest.Streams.Decoding;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>What the pipeline computes and stores. Section <c>ReactiveIngest:Pipeline</c>.</summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:Pipeline";

    /// <summary>Event-time windows to compute; each reading goes into every one of them. Default: 10 s tumbling.</summary>
    public List<WindowDefinition> Windows { get; set; } = [];

    /// <summary>Reading tags that become part of the window key besides device and metric.</summary>
    public List<string> KeyTags { get; set; } = [];

    /// <summary>How far out of order readings may arrive before the watermark passes them.</summary>
    public TimeSpan OutOfOrderness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a window closed a late reading still updates (and re-emits) it.</summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An input partition silent for longer stops holding the watermark back (not while its source is held back by a stalled sink).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Close windows by wall clock when the whole fleet is quiet.</summary>
    public bool WallClockFallback { get; set; } = true;

    /// <summary>Open windows per window definition; beyond it the window due first is closed early (counted).</summary>
    public int MaxOpenWindows { get; set; } = 1_000_000;

    /// <summary>When set, open windows are also emitted as early (non-final) results this often.</summary>
    public TimeSpan? EarlyResultsInterval { get; set; }

    /// <summary>Write every valid reading as a raw point.</summary>
    public bool RawWrites { get; set; } = true;

    /// <summary>
    /// Measurement name of aggregates; <c>{window}</c> is replaced by the window name (required when more than one
    /// window is configured, so that each window definition writes points of its own).
    /// </summary>
    public string AggregateMeasurement { get; set; } = "window_{window}";

    /// <summary>Drop readings whose identity (device, metric, tags, timestamp) was seen recently, so resent messages are not counted twice by the windows.</summary>
    public bool Deduplicate { get; set; } = true;

    /// <summary>
    /// Timestamps remembered per series for de-duplication; an older duplicate is not detected. Memory: at most
    /// DeduplicateMaxKeys × (depth × 8 + 64) bytes (58 MB with the defaults).
    /// </summary>
    public int DeduplicateDepth { get; set; } = 64;

    /// <summary>Series remembered for de-duplication; beyond it the least recently hit are forgotten (counted).</summary>
    public int DeduplicateMaxKeys { get; set; } = 100_000;

    /// <summary>Messages taken from all sources and not yet through decoding (the merge buffer).</summary>
    public int MergeBuffer { get; set; } = 256;

    /// <summary>
    /// Threads that decode each source's messages (chunks decoded on the thread pool, emitted in message order);
    /// 1 decodes on the stream's own thread. Default: the processor count, capped at 8.
    /// </summary>
    public int DecodeParallelism { get; set; } = DecodeFlow.DefaultParallelism;

    /// <summary>How long a graceful stop may take before the graph is aborted (unacknowledged messages are redelivered).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What happens to open windows on a graceful stop (default: written as provisional results and redelivered).</summary>
    public OpenWindowsOnShutdown OpenWindowsOnShutdown { get; set; } = OpenWindowsOnShutdown.Provisional;

    /// <summary>The configured windows, or the default 10 s tumbling window.</summary>
    public IReadOnlyList<WindowDefinition> EffectiveWindows =>
        Windows.Count > 0 ? Windows : [new WindowDefinition { Name = "10s", Size = TimeSpan.FromSeconds(10) }];
}
