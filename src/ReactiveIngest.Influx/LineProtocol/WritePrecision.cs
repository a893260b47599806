namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>The unit of the timestamps in a write request.</summary>
public enum WritePrecision
{
    /// <summary>Nanoseconds (the default).</summary>
    Nanoseconds = 0,

    /// <summary>Microseconds.</summary>
    Microseconds = 1,

    /// <summary>Milliseconds.</summary>
    Milliseconds = 2,

    /// <summary>Seconds.</summary>
    Seconds = 3,
}
