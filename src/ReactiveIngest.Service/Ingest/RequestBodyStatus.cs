namespace ReactiveIngest.Service.Ingest;

/// <summary>How reading a request body ended (see <see cref="RequestBody"/>).</summary>
public enum RequestBodyStatus
{
    /// <summary>The body was read (and decompressed).</summary>
    Read,

    /// <summary>The body, or what it decompresses to, is over the limit: 413.</summary>
    TooLarge,

    /// <summary>The Content-Encoding is neither <c>gzip</c> nor <c>identity</c>: 415.</summary>
    UnsupportedEncoding,

    /// <summary>The body claims gzip but is not valid gzip data: 400.</summary>
    CorruptEncoding,
}
