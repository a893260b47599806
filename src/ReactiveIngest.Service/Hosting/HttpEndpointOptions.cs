namespace ReactiveIngest.Service.Hosting;

/// <summary>Where the HTTP API listens and how it protects itself. Section <c>ReactiveIngest:Http</c>.</summary>
public sealed class HttpEndpointOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:Http";

    /// <summary>
    /// Semicolon-separated listen URLs. Loopback by default; any other address requires <see cref="ApiKey"/>.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>
    /// The key clients send in the <c>X-Api-Key</c> header (InfluxDB clients: as the token, <c>Authorization: Token key</c>,
    /// or as the password). Required when listening on a non-loopback address; when set, ingest and query endpoints
    /// require it on every address.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest accepted request body in bytes; larger requests get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The listen URLs, parsed.</summary>
    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
