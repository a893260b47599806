namespace ReactiveIngest.Core.Codecs;

/// <summary>The unit of a numeric epoch timestamp in a payload.</summary>
public enum TimestampUnit
{
    /// <summary>
    /// Infer the unit from the magnitude of the value (see <see cref="EpochTimestamp.InferUnit(double)"/>):
    /// below 1e11 seconds, below 1e14 milliseconds, below 1e17 microseconds, otherwise nanoseconds.
    /// </summary>
    Auto = 0,

    /// <summary>Seconds since the Unix epoch (fractions allowed).</summary>
    Seconds = 1,

    /// <summary>Milliseconds since the Unix epoch.</summary>
    Milliseconds = 2,

    /// <summary>Microseconds since the Unix epoch.</summary>
    Microseconds = 3,

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    Nanoseconds = 4,
}
