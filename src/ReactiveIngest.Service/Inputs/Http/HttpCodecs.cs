using ReactiveIngest.Core.Codecs;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>The decoders <c>POST /api/ingest</c> chooses from by Content-Type.</summary>
/// <param name="Json">For <c>application/json</c>.</param>
/// <param name="LineProtocol">For <c>text/plain</c> (InfluxDB line protocol).</param>
public sealed record HttpCodecs(IReadingDecoder Json, IReadingDecoder LineProtocol)
{
    /// <summary>The source name of JSON requests in dead letters and metrics.</summary>
    public const string JsonSource = "http:json";

    /// <summary>The source name of line-protocol requests in dead letters and metrics.</summary>
    public const string LineProtocolSource = "http:lineprotocol";
}
