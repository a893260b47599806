using ReactiveIngest.Influx.LineProtocol;

namespace ReactiveIngest.Influx.Writing;

/// <summary>
/// Where and how to write to InfluxDB. Bind from the <see cref="SectionName"/> configuration section;
/// check with <see cref="InfluxWriterOptionsValidator"/>, which names every key that is wrong.
/// </summary>
public sealed class InfluxWriterOptions
{
    /// <summary>The configuration section (<c>ReactiveIngest:Influx</c>).</summary>
    public const string SectionName = "ReactiveIngest:Influx";

    /// <summary>Base address of the server, e.g. <c>http://127.0.0.1:8086/</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>The API to use (default <see cref="InfluxApiVersion.V1"/>).</summary>
    public InfluxApiVersion ApiVersion { get; set; } = InfluxApiVersion.V1;

    /// <summary>v1: the database (required for v1).</summary>
    public string? Database { get; set; }

    /// <summary>v1: the retention policy (optional; the database default when empty).</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>v1: user name, sent with HTTP Basic authentication (optional).</summary>
    public string? Username { get; set; }

    /// <summary>v1: password (required when <see cref="Username"/> is set).</summary>
    public string? Password { get; set; }

    /// <summary>v2: the organization name or id (required for v2).</summary>
    public string? Organization { get; set; }

    /// <summary>v2: the bucket (required for v2).</summary>
    public string? Bucket { get; set; }

    /// <summary>v2: the API token (required for v2); v1 also accepts one (sent as <c>Authorization: Token</c>).</summary>
    public string? Token { get; set; }

    /// <summary>Timestamp precision of the written lines (default nanoseconds).</summary>
    public WritePrecision Precision { get; set; } = WritePrecision.Nanoseconds;

    /// <summary>Compress request bodies with gzip (default true).</summary>
    public bool Gzip { get; set; } = true;

    /// <summary>Most points in one write request (default 5,000).</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>Most uncompressed line-protocol bytes in one write request (default 4 MiB).</summary>
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A batch that is not full is written after this long (default 1 s).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Write requests in flight at once (default 2). Demand stops upstream when all are busy. Writes of the same point
    /// (measurement + tag set + timestamp) stay in arrival order whatever the value: a batch holding a point that a
    /// write in flight (or being retried) also holds waits for that write, and the batches after it wait too.
    /// </summary>
    public int MaxConcurrentWrites { get; set; } = 2;

    /// <summary>Timeout of one HTTP request (default 30 s); a timeout is retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First retry delay of the exponential backoff (default 200 ms).</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest backoff delay (default 30 s). A Retry-After from the server is honoured even when longer.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a write refused with 401/403/404 is tried again (default 30 s).</summary>
    public TimeSpan AuthRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed attempts after which readiness turns false (default 3).</summary>
    public int UnreadyAfterFailures { get; set; } = 3;
}
