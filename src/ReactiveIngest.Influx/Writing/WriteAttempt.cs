namespace ReactiveIngest.Influx.Writing;

/// <summary>How one write request ended, as the retry logic sees it.</summary>
internal enum WriteAttemptKind
{
    /// <summary>2xx: every line was stored.</summary>
    Success,

    /// <summary>400/422: some or all lines were refused (partial write, parse error, type conflict).</summary>
    LinesRejected,

    /// <summary>413: the body is larger than the server accepts.</summary>
    TooLarge,

    /// <summary>401/403/404 or a request-level 400: nothing will succeed until the configuration or the server changes.</summary>
    Refused,

    /// <summary>Network error, timeout, 429 or 5xx: try the same request again later.</summary>
    Transient,
}

/// <summary>The outcome of one write request.</summary>
internal readonly record struct WriteAttempt(WriteAttemptKind Kind, int Status, string Message, TimeSpan? RetryAfter = null, int? Dropped = null)
{
    public static WriteAttempt Success { get; } = new(WriteAttemptKind.Success, 204, string.Empty);
}
