namespace ReactiveIngest.Core.Codecs;

/// <summary>How <see cref="LineProtocolDecoder"/> maps InfluxDB line protocol to readings.</summary>
public sealed class LineProtocolOptions
{
    /// <summary>How metric names are formed. Default <see cref="LineProtocolMetricNaming.FieldKey"/>.</summary>
    public LineProtocolMetricNaming MetricNaming { get; set; } = LineProtocolMetricNaming.FieldKey;

    /// <summary>Separator between measurement and field key in <see cref="LineProtocolMetricNaming.MeasurementAndField"/>. Default <c>.</c>.</summary>
    public string MetricSeparator { get; set; } = ".";

    /// <summary>
    /// The tag holding the device id. That tag becomes <c>Reading.DeviceId</c> and is not kept among the
    /// tags. Default <c>deviceId</c>. Null: the device id comes only from the topic template.
    /// </summary>
    public string? DeviceIdTag { get; set; } = "deviceId";

    /// <summary>The unit of line timestamps (InfluxDB's "precision"). Default nanoseconds; <see cref="TimestampUnit.Auto"/> infers by magnitude.</summary>
    public TimestampUnit Precision { get; set; } = TimestampUnit.Nanoseconds;

    /// <summary>Whether boolean fields become 1/0. Default true; when false they are handled like strings.</summary>
    public bool BooleansAsNumbers { get; set; } = true;

    /// <summary>What to do with string fields (and booleans when <see cref="BooleansAsNumbers"/> is false). Default skip and count.</summary>
    public NonNumericFieldHandling NonNumericFields { get; set; } = NonNumericFieldHandling.Skip;

    /// <summary>Optional topic template giving the device id and tags from the topic.</summary>
    public string? TopicTemplate { get; set; }

    /// <summary>Who wins when the device-id tag and the topic both give a device id, or a tag and the topic the same key. Default payload.</summary>
    public IdentityPrecedence Precedence { get; set; } = IdentityPrecedence.PayloadWins;

    /// <summary>Capacity of the string pool (metric names, device ids) and of the series cache. Default 65 536.</summary>
    public int StringPoolCapacity { get; set; } = 65_536;

    /// <summary>
    /// The most fields one line (one point) may carry; default 1,000. A line with more rejects its message with reason
    /// <c>TooManyMetrics</c>, so that no client can create thousands of measurements with one line.
    /// </summary>
    public int MaxMetricsPerLine { get; set; } = 1_000;

    /// <summary>Sets <see cref="MetricNaming"/> (and the separator).</summary>
    public LineProtocolOptions WithMetricNaming(LineProtocolMetricNaming naming, string separator = ".")
    {
        MetricNaming = naming;
        MetricSeparator = separator;
        return this;
    }

    /// <summary>Sets <see cref="DeviceIdTag"/>.</summary>
    public LineProtocolOptions WithDeviceIdTag(string? tag)
    {
        DeviceIdTag = tag;
        return this;
    }

    /// <summary>Sets <see cref="Precision"/>.</summary>
    public LineProtocolOptions WithPrecision(TimestampUnit precision)
    {
        Precision = precision;
        return this;
    }

    /// <summary>Sets <see cref="TopicTemplate"/> and <see cref="Precedence"/>.</summary>
    public LineProtocolOptions WithTopicTemplate(string template, IdentityPrecedence precedence = IdentityPrecedence.PayloadWins)
    {
        TopicTemplate = template;
        Precedence = precedence;
        return this;
    }

    /// <summary>Every problem with these options, each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        const string prefix = nameof(LineProtocolOptions) + ".";
        if (!Enum.IsDefined(MetricNaming))
        {
            errors.Add($"{prefix}{nameof(MetricNaming)}: {(int)MetricNaming} is not a naming mode");
        }

        if (MaxMetricsPerLine < 1)
        {
            errors.Add($"{prefix}{nameof(MaxMetricsPerLine)}: must be at least 1 (was {MaxMetricsPerLine})");
        }

        if (MetricNaming == LineProtocolMetricNaming.MeasurementAndField && MetricSeparator is null)
        {
            errors.Add($"{prefix}{nameof(MetricSeparator)}: must not be null with {nameof(LineProtocolMetricNaming.MeasurementAndField)} naming");
        }

        if (MetricSeparator is { Length: > 16 })
        {
            errors.Add($"{prefix}{nameof(MetricSeparator)}: longer than 16 characters");
        }

        if (DeviceIdTag is { Length: 0 })
        {
            errors.Add($"{prefix}{nameof(DeviceIdTag)}: must not be empty (use null to take the device id from the topic only)");
        }

        if (!Enum.IsDefined(Precision))
        {
            errors.Add($"{prefix}{nameof(Precision)}: {(int)Precision} is not a timestamp unit");
        }

        if (!Enum.IsDefined(NonNumericFields))
        {
            errors.Add($"{prefix}{nameof(NonNumericFields)}: {(int)NonNumericFields} is not a handling mode");
        }

        if (!Enum.IsDefined(Precedence))
        {
            errors.Add($"{prefix}{nameof(Precedence)}: {(int)Precedence} is not a precedence");
        }

        if (TopicTemplate is not null && !Codecs.TopicTemplate.TryParse(TopicTemplate, out _, out var topicError))
        {
            errors.Add($"{prefix}{nameof(TopicTemplate)}: {topicError}");
        }
        else if (DeviceIdTag is null && (TopicTemplate is null || !Codecs.TopicTemplate.Parse(TopicTemplate).HasDeviceId))
        {
            errors.Add($"{prefix}{nameof(DeviceIdTag)}: is null but no {nameof(TopicTemplate)} with {{deviceId}} is set, so no reading could have a device id");
        }

        if (StringPoolCapacity < 0)
        {
            errors.Add($"{prefix}{nameof(StringPoolCapacity)}: must not be negative");
        }

        return errors;
    }
}
