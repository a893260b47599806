namespace ReactiveIngest.Core.Validation;

/// <summary>
/// Why a message or reading was rejected. Every dead letter carries exactly one reason, and the
/// service keeps a counter per reason. Values are stable: they appear in dead-letter records.
/// </summary>
public enum RejectReason
{
    /// <summary>The payload is not valid for the codec (JSON syntax, line-protocol syntax).</summary>
    MalformedPayload = 1,

    /// <summary>A field has the wrong type (e.g. a metric that is a string or an object).</summary>
    WrongType = 2,

    /// <summary>No device id in the payload, the mapping or the topic.</summary>
    MissingDeviceId = 3,

    /// <summary>The timestamp cannot be parsed or is outside the representable range.</summary>
    InvalidTimestamp = 4,

    /// <summary>The message contains no metric values.</summary>
    NoMetrics = 5,

    /// <summary>The topic does not match the configured topic template.</summary>
    TopicMismatch = 6,

    /// <summary>A value is NaN or ±Infinity.</summary>
    NotFinite = 7,

    /// <summary>The event time is further in the future than allowed.</summary>
    TimestampTooFarInFuture = 8,

    /// <summary>The event time is further in the past than allowed.</summary>
    TimestampTooFarInPast = 9,

    /// <summary>The device id, metric name, tag key or tag value is empty.</summary>
    EmptyIdentifier = 10,

    /// <summary>The device id, metric name, tag key or tag value is longer than allowed.</summary>
    IdentifierTooLong = 11,

    /// <summary>A reading has more tags than allowed.</summary>
    TooManyTags = 12,

    /// <summary>
    /// The message is larger than its input's size limit (<c>MaxMessageBytes</c>, checked at the edge before the
    /// journal) or a storage request stayed too large after splitting. Named <c>PayloadTooLarge</c> before.
    /// </summary>
    TooLarge = 13,

    /// <summary>An identifier contains a control character (newline, NUL, …) that cannot be stored.</summary>
    InvalidCharacters = 14,

    /// <summary>The storage rejected the point (e.g. an InfluxDB field-type conflict).</summary>
    RejectedByStorage = 15,

    /// <summary>A reading arrived after its window's allowed lateness and raw writes are off, so nothing else keeps it.</summary>
    TooLate = 16,

    /// <summary>A message holds more metric values than <c>MaxMetricsPerMessage</c> allows; none of them is kept.</summary>
    TooManyMetrics = 17,

    /// <summary>
    /// The reading would add a device or metric name beyond the configured cardinality limit (<c>MaxDevices</c>,
    /// <c>MaxMetricNames</c>), so it would create new series or measurements without bound.
    /// </summary>
    CardinalityLimit = 18,

    /// <summary>A stage threw while processing this element (decode, transform, window); the detail names the exception type.</summary>
    ProcessingFailed = 19,

    /// <summary>The message was being processed each time the graph failed, twice in a row; it is set aside so it cannot loop.</summary>
    Quarantined = 20,
}
