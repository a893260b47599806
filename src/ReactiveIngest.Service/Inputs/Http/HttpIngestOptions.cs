namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>HTTP ingestion (<c>POST /api/ingest</c>, the InfluxDB write API). Section <c>ReactiveIngest:Sources:Http</c>.</summary>
public sealed class HttpIngestOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:Sources:Http";

    /// <summary>
    /// Whether HTTP ingestion is served: <c>POST /api/ingest</c> and the InfluxDB write API (<c>/write</c>,
    /// <c>/api/v2/write</c>, <c>/ping</c>). When false they are not mapped (404).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Messages accepted but not yet taken by the pipeline, with the journal off (a JSON request is one message, a
    /// line-protocol request one per <see cref="MaxMessageBytes"/> of lines plus its rejected lines). When a request does
    /// not fit whole, it gets 429 with Retry-After (the client keeps the data); nothing is dropped.
    /// </summary>
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>Seconds a client is asked to wait in Retry-After when the queue is full.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// Largest single message in bytes (after decompression): a JSON body of <c>POST /api/ingest</c> is one message, in
    /// line protocol each line is one. A larger one gets 413 and nothing of its request is kept. Line-protocol bodies
    /// are handed to the pipeline in messages of whole lines of at most this size, so with the journal on every
    /// message fits in one journal page: this plus the 30 bytes an entry may add must be at most
    /// <c>ReactiveIngest:Journal:PageSize</c> less 64 bytes, checked at start.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;
}
