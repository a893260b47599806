namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// How <see cref="JsonReadingDecoder"/> maps a JSON object to readings. The defaults read
/// <c>{"deviceId":"d1","ts":1700000000000,"temperature":21.5,"humidity":40}</c>: the device id from
/// <c>deviceId</c>, the timestamp from <c>ts</c> (unit inferred), and every other numeric top-level field
/// as a metric named after the field.
/// </summary>
public sealed class JsonCodecOptions
{
    /// <summary>Path of the device id (a string, or a number taken as its text). Default <c>deviceId</c>.</summary>
    public string DeviceIdPath { get; set; } = "deviceId";

    /// <summary>
    /// Path of the event timestamp: a number (epoch in <see cref="TimestampUnit"/>), a string of digits (same),
    /// or an ISO-8601 string (without an offset it is taken as UTC). Absent or null: the message's
    /// <see cref="Model.MessageContext.ReceivedAtNs"/>. Default <c>ts</c>.
    /// </summary>
    public string TimestampPath { get; set; } = "ts";

    /// <summary>The unit of numeric timestamps. Default <see cref="TimestampUnit.Auto"/> (inferred by magnitude).</summary>
    public TimestampUnit TimestampUnit { get; set; } = TimestampUnit.Auto;

    /// <summary>
    /// Explicit metric fields (paths); the metric name is the last path segment. When set, only these fields
    /// are metrics; a listed field holding a string, object or array is <c>WrongType</c>; an absent or null one
    /// is simply not reported. Null (default): every numeric top-level field not mapped to anything else.
    /// </summary>
    public IList<string>? Metrics { get; set; }

    /// <summary>
    /// Path of a nested object whose every member is a metric (e.g. <c>values</c> for
    /// <c>{"deviceId":"d1","values":{"t":1,"h":2}}</c>); a member that is a string, object or array is
    /// <c>WrongType</c>, a null member is not reported. Exclusive with <see cref="Metrics"/>.
    /// </summary>
    public string? MetricsPath { get; set; }

    /// <summary>
    /// Tags: tag key → path of its value. A string value is taken as is, a number as its JSON text, a boolean
    /// as <c>true</c>/<c>false</c>; null or absent means no tag; objects and arrays are <c>WrongType</c>.
    /// </summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether a boolean metric becomes 1 (true) or 0 (false). Default true. When false, booleans are treated
    /// like strings: ignored among implicit top-level metrics, <c>WrongType</c> where a metric is required.
    /// </summary>
    public bool BooleansAsNumbers { get; set; } = true;

    /// <summary>Optional topic template giving the device id and tags from the topic.</summary>
    public string? TopicTemplate { get; set; }

    /// <summary>Who wins when payload and topic both give a device id or the same tag. Default payload.</summary>
    public IdentityPrecedence Precedence { get; set; } = IdentityPrecedence.PayloadWins;

    /// <summary>Maximum nesting depth of the JSON document. Default 32.</summary>
    public int MaxDepth { get; set; } = 32;

    /// <summary>Capacity of the string pool for metric names, device ids and tag values. Default 65 536.</summary>
    public int StringPoolCapacity { get; set; } = 65_536;

    /// <summary>Sets <see cref="DeviceIdPath"/>.</summary>
    public JsonCodecOptions WithDeviceIdPath(string path)
    {
        DeviceIdPath = path;
        return this;
    }

    /// <summary>Sets <see cref="TimestampPath"/> and <see cref="TimestampUnit"/>.</summary>
    public JsonCodecOptions WithTimestamp(string path, TimestampUnit unit = TimestampUnit.Auto)
    {
        TimestampPath = path;
        TimestampUnit = unit;
        return this;
    }

    /// <summary>Sets <see cref="Metrics"/> to an explicit list.</summary>
    public JsonCodecOptions WithMetrics(params string[] paths)
    {
        Metrics = paths;
        return this;
    }

    /// <summary>Sets <see cref="MetricsPath"/>.</summary>
    public JsonCodecOptions WithMetricsObject(string path)
    {
        MetricsPath = path;
        return this;
    }

    /// <summary>Adds a tag read from <paramref name="path"/> (default: a top-level field named like the key).</summary>
    public JsonCodecOptions WithTag(string key, string? path = null)
    {
        Tags[key] = path ?? key;
        return this;
    }

    /// <summary>Sets <see cref="TopicTemplate"/> and <see cref="Precedence"/>.</summary>
    public JsonCodecOptions WithTopicTemplate(string template, IdentityPrecedence precedence = IdentityPrecedence.PayloadWins)
    {
        TopicTemplate = template;
        Precedence = precedence;
        return this;
    }

    /// <summary>
    /// The most metric values one message's object may carry (each object of a top-level array on its own: it is one
    /// device's reading set, and a batch of many objects is ordinary HTTP traffic); default 1,000. A message with an
    /// object over it is dead-lettered whole with reason <c>TooManyMetrics</c>, so that no client can create thousands
    /// of measurements with one message (the distinct names overall are bounded by <c>Validation:MaxMetricNames</c>).
    /// </summary>
    public int MaxMetricsPerMessage { get; set; } = 1_000;

    /// <summary>Every problem with these options, each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        const string prefix = nameof(JsonCodecOptions) + ".";
        CheckPath(errors, prefix + nameof(DeviceIdPath), DeviceIdPath);
        CheckPath(errors, prefix + nameof(TimestampPath), TimestampPath);
        if (!Enum.IsDefined(TimestampUnit))
        {
            errors.Add($"{prefix}{nameof(TimestampUnit)}: {(int)TimestampUnit} is not a timestamp unit");
        }

        if (!Enum.IsDefined(Precedence))
        {
            errors.Add($"{prefix}{nameof(Precedence)}: {(int)Precedence} is not a precedence");
        }

        if (Metrics is not null)
        {
            if (Metrics.Count == 0)
            {
                errors.Add($"{prefix}{nameof(Metrics)}: the list is empty; leave it null to take every numeric field");
            }

            for (var i = 0; i < Metrics.Count; i++)
            {
                CheckPath(errors, $"{prefix}{nameof(Metrics)}[{i}]", Metrics[i]);
            }

            if (MetricsPath is not null)
            {
                errors.Add($"{prefix}{nameof(MetricsPath)}: cannot be combined with {nameof(Metrics)}; use one or the other");
            }
        }

        if (MetricsPath is not null)
        {
            CheckPath(errors, prefix + nameof(MetricsPath), MetricsPath);
        }

        foreach (var (key, path) in Tags)
        {
            if (string.IsNullOrEmpty(key))
            {
                errors.Add($"{prefix}{nameof(Tags)}: a tag key is empty");
            }

            CheckPath(errors, $"{prefix}{nameof(Tags)}[{key}]", path);
        }

        if (TopicTemplate is not null && !Codecs.TopicTemplate.TryParse(TopicTemplate, out _, out var topicError))
        {
            errors.Add($"{prefix}{nameof(TopicTemplate)}: {topicError}");
        }

        if (MaxDepth is < 2 or > 256)
        {
            errors.Add($"{prefix}{nameof(MaxDepth)}: {MaxDepth} is outside 2..256");
        }

        if (MaxMetricsPerMessage < 1)
        {
            errors.Add($"{prefix}{nameof(MaxMetricsPerMessage)}: must be at least 1 (was {MaxMetricsPerMessage})");
        }

        if (StringPoolCapacity < 0)
        {
            errors.Add($"{prefix}{nameof(StringPoolCapacity)}: must not be negative");
        }

        if (errors.Count == 0)
        {
            JsonFieldMap.TryBuild(this, out _, out var mapErrors);
            errors.AddRange(mapErrors);
        }

        return errors;
    }

    private static void CheckPath(List<string> errors, string setting, string? path)
    {
        if (!JsonPath.TryParse(path, out _, out var error))
        {
            errors.Add($"{setting}: {error}");
        }
    }
}
