namespace ReactiveIngest.Core.Validation;

/// <summary>Limits that <see cref="ReadingValidator"/> enforces on each reading and message.</summary>
public sealed class ValidationOptions
{
    /// <summary>How far ahead of now an event time may be (device clock skew). Default 5 minutes.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far behind now an event time may be (buffered devices catching up). Default 7 days.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Longest device id, metric name, tag key or tag value, in UTF-16 chars. Default 256.</summary>
    public int MaxIdentifierLength { get; set; } = 256;

    /// <summary>Most tags on one reading. Default 32.</summary>
    public int MaxTags { get; set; } = 32;

    /// <summary>Largest accepted message payload in bytes. Default 1 MiB.</summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The most distinct device ids the service takes in (see <see cref="CardinalityLimits"/>); default 100,000.
    /// Readings of further devices are dead-lettered with reason <c>CardinalityLimit</c>.
    /// </summary>
    public int MaxDevices { get; set; } = 100_000;

    /// <summary>
    /// The most distinct metric names (InfluxDB measurements) the service takes in; default 10,000. Readings of further
    /// names are dead-lettered with reason <c>CardinalityLimit</c>.
    /// </summary>
    public int MaxMetricNames { get; set; } = 10_000;

    /// <summary>Every problem with these options, each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        const string prefix = nameof(ValidationOptions) + ".";
        if (MaxFutureSkew < TimeSpan.Zero)
        {
            errors.Add($"{prefix}{nameof(MaxFutureSkew)}: must not be negative (was {MaxFutureSkew})");
        }

        if (MaxAge <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}{nameof(MaxAge)}: must be positive (was {MaxAge})");
        }

        if (MaxFutureSkew.Ticks > TimeSpan.MaxValue.Ticks / 200 || MaxAge.Ticks > TimeSpan.MaxValue.Ticks / 200)
        {
            errors.Add($"{prefix}{nameof(MaxAge)}/{nameof(MaxFutureSkew)}: must be below 100 years");
        }

        if (MaxIdentifierLength < 1)
        {
            errors.Add($"{prefix}{nameof(MaxIdentifierLength)}: must be at least 1 (was {MaxIdentifierLength})");
        }

        if (MaxTags < 0)
        {
            errors.Add($"{prefix}{nameof(MaxTags)}: must not be negative (was {MaxTags})");
        }

        if (MaxPayloadBytes < 1)
        {
            errors.Add($"{prefix}{nameof(MaxPayloadBytes)}: must be at least 1 (was {MaxPayloadBytes})");
        }

        if (MaxDevices < 1)
        {
            errors.Add($"{prefix}{nameof(MaxDevices)}: must be at least 1 (was {MaxDevices})");
        }

        if (MaxMetricNames < 1)
        {
            errors.Add($"{prefix}{nameof(MaxMetricNames)}: must be at least 1 (was {MaxMetricNames})");
        }

        return errors;
    }
}
