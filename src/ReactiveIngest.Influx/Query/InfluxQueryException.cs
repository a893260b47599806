namespace ReactiveIngest.Influx.Query;

/// <summary>InfluxDB refused or failed a query; the message is the server's.</summary>
public sealed class InfluxQueryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InfluxQueryException()
    {
    }

    /// <summary>Creates the exception with the server's message.</summary>
    public InfluxQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the server's message and a cause.</summary>
    public InfluxQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
