namespace ReactiveIngest.Simulator.Payloads;

/// <summary>How an injected malformed payload is broken. Each must become a dead letter in a correct pipeline.</summary>
public enum MalformedKind
{
    /// <summary>A valid payload cut in half (syntax error).</summary>
    Truncated = 0,

    /// <summary>A metric whose value is a string (<c>"temperature":"warm"</c>, or <c>temperature="warm"</c> in line protocol).</summary>
    StringValue = 1,

    /// <summary>Bytes that are not text at all.</summary>
    Garbage = 2,

    /// <summary>Device id and timestamp but no metric.</summary>
    NoMetrics = 3,
}
