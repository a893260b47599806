namespace ReactiveIngest.Service.Inputs.Http;

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

    /// <summary>The client sent the body too slowly (Kestrel's <c>MinRequestBodyDataRate</c>): 408.</summary>
    TimedOut,

    /// <summary>
    /// The body ended early: the client closed or reset the connection, the request was aborted, or the framing was
    /// broken. Nobody waits for an answer; Kestrel closes the connection.
    /// </summary>
    Aborted,
}
