using ReactiveIngest.Core.Codecs;

namespace ReactiveIngest.Service.Inputs;

/// <summary>
/// The codec of a source, bound from the source's own configuration section
/// (<c>Codec</c>, <c>Json:…</c>, <c>LineProtocol:…</c>).
/// </summary>
public sealed class CodecDefinition
{
    /// <summary><c>json</c> (default) or <c>lineprotocol</c>.</summary>
    public string Codec { get; set; } = "json";

    /// <summary>Mapping for the JSON codec.</summary>
    public JsonCodecOptions Json { get; set; } = new();

    /// <summary>Options of the line-protocol codec.</summary>
    public LineProtocolOptions LineProtocol { get; set; } = new();

    /// <summary>Problems, each naming the key under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        switch (Codec.ToUpperInvariant())
        {
            case "JSON":
                return Json.Validate().Select(e => $"{prefix}:Json: {e}");
            case "LINEPROTOCOL":
                return LineProtocol.Validate().Select(e => $"{prefix}:LineProtocol: {e}");
            default:
                return [$"{prefix}:Codec must be 'json' or 'lineprotocol' (is '{Codec}')."];
        }
    }

    /// <summary>The decoder; call only on a validated definition.</summary>
    public IReadingDecoder CreateDecoder() =>
        Codec.Equals("lineprotocol", StringComparison.OrdinalIgnoreCase) ? new LineProtocolDecoder(LineProtocol) : new JsonReadingDecoder(Json);
}
