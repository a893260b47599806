namespace ReactiveIngest.Service.Diagnostics;

/// <summary>The names of every meter the service exports, in one place.</summary>
public static class IngestMeters
{
    /// <summary>The service's own pipeline meter.</summary>
    public const string Pipeline = "ReactiveIngest.Pipeline";

    /// <summary>Meters of the connector libraries, matched by prefix.</summary>
    public const string Libraries = "ReactiveIngest.*";

    /// <summary>Every meter to export.</summary>
    public static readonly string[] All = [Pipeline, Libraries];
}
