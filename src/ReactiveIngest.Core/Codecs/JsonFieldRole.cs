namespace ReactiveIngest.Core.Codecs;

/// <summary>What a mapped JSON property means to <see cref="JsonReadingDecoder"/>.</summary>
internal enum JsonFieldRole
{
    /// <summary>An object on the way to mapped fields.</summary>
    Parent,

    /// <summary>The device id.</summary>
    DeviceId,

    /// <summary>The event timestamp.</summary>
    Timestamp,

    /// <summary>A tag value.</summary>
    Tag,

    /// <summary>An explicitly listed metric.</summary>
    Metric,

    /// <summary>An object whose every member is a metric.</summary>
    MetricsObject,
}
