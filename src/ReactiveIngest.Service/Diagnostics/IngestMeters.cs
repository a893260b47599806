namespace ReactiveIngest.Service.Diagnostics;

/// <summary>The names of every meter the service exports, in one place (and of instruments created outside a metrics class).</summary>
public static class IngestMeters
{
    /// <summary>The service's own pipeline meter.</summary>
    public const string Pipeline = "ReactiveIngest.Pipeline";

    /// <summary>Meters of the connector libraries, matched by prefix.</summary>
    public const string Libraries = "ReactiveIngest.*";

    /// <summary>
    /// Instrument on the <see cref="Pipeline"/> meter: HTTP request bodies not read to their end (client too slow, gone,
    /// or broken framing), tagged <c>reason</c> = <c>timeout</c> | <c>aborted</c>. See <see cref="Inputs.Http.AbortedBodies"/>.
    /// </summary>
    public const string HttpAbortedBodies = "reactiveingest.http.aborted_bodies";

    /// <summary>Every meter to export.</summary>
    public static readonly string[] All = [Pipeline, Libraries];
}
