using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Hosting;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>
/// The InfluxDB write API, so that Telegraf's <c>influxdb</c> / <c>influxdb_v2</c> outputs and the InfluxDB client
/// libraries can send to the service unchanged: <c>POST /write</c> (v1: <c>db</c>, <c>rp</c>, <c>precision</c>),
/// <c>POST /api/v2/write</c> (v2: <c>org</c>, <c>bucket</c>, <c>precision</c>) and <c>GET|HEAD /ping</c>.
/// <para>
/// Bodies are line protocol, optionally <c>Content-Encoding: gzip</c>. The lines that decode go to the same bounded
/// queue as <c>POST /api/ingest</c> (timestamps converted to nanoseconds); the lines that do not go, each with its
/// reason and bytes, to the dead-letter output through the same queue. Answers as InfluxDB does: 204 when every line
/// was taken; 400 with InfluxDB's error body when some were rejected (the others are kept: a partial write, which
/// clients do not retry); 413 beyond <c>ReactiveIngest:Http:MaxRequestBodyBytes</c> (after decompression) or when a
/// line is longer than <c>ReactiveIngest:Sources:Http:MaxMessageBytes</c> (nothing of the request kept); 429 with
/// Retry-After when the queue is full and 503 with Retry-After while no ingest graph runs (nothing of the request
/// kept; clients retry). <c>db</c>, <c>rp</c>, <c>org</c>
/// and <c>bucket</c> are required as InfluxDB requires them (<c>org</c>/<c>orgID</c> optional) but do not route: every
/// write enters the one pipeline. Authentication: see <see cref="ApiKeyMiddleware"/>.
/// </para>
/// </summary>
public static class InfluxWriteEndpoints
{
    /// <summary>The header InfluxDB sets on every answer; clients read it from <c>/ping</c>.</summary>
    public const string VersionHeader = "X-Influxdb-Version";

    /// <summary>
    /// The version reported: 1.8 is the InfluxDB release that serves both the v1 write API and the v2 compatibility
    /// endpoint, which is the pair served here.
    /// </summary>
    public const string Version = "1.8.10";

    /// <summary>Rejected lines of one request queued as separate dead letters; the rest share the last one (or few, at the message limit).</summary>
    public const int MaxRejectedMessages = 16;

    private const int MaxQuotedLine = 200;

    /// <summary>Maps <c>/write</c>, <c>/api/v2/write</c> and <c>/ping</c>, unless HTTP ingestion is disabled (<see cref="HttpIngestOptions.Enabled"/>).</summary>
    public static IEndpointRouteBuilder MapInfluxWriteApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.ServiceProvider.GetRequiredService<IOptions<HttpIngestOptions>>().Value.Enabled)
        {
            return app;
        }

        app.MapPost("/write", WriteV1Async);
        app.MapPost("/api/v2/write", WriteV2Async);
        app.MapMethods("/ping", [HttpMethods.Get, HttpMethods.Head], Ping);
        return app;
    }

    private static IResult Ping(HttpContext context, string? verbose)
    {
        SetHeaders(context);
        return verbose is "true" or "1"
            ? TypedResults.Ok(new Dictionary<string, string> { ["version"] = Version })
            : TypedResults.NoContent();
    }

    private static Task<IResult> WriteV1Async(HttpContext context, [AsParameters] WriteServices services, string? db, string? rp, string? precision)
    {
        _ = rp; // accepted as InfluxDB accepts it; the pipeline has one retention
        if (string.IsNullOrWhiteSpace(db))
        {
            return Task.FromResult(Error(context, InfluxApiVersion.V1, StatusCodes.Status400BadRequest, "database is required (query parameter 'db')"));
        }

        return WriteAsync(context, services, InfluxApiVersion.V1, precision);
    }

    private static Task<IResult> WriteV2Async(HttpContext context, [AsParameters] WriteServices services, string? bucket, string? precision)
    {
        if (string.IsNullOrWhiteSpace(bucket))
        {
            return Task.FromResult(Error(context, InfluxApiVersion.V2, StatusCodes.Status400BadRequest, "bucket is required (query parameter 'bucket')"));
        }

        return WriteAsync(context, services, InfluxApiVersion.V2, precision);
    }

    private static async Task<IResult> WriteAsync(HttpContext context, WriteServices services, InfluxApiVersion api, string? precisionText)
    {
        if (!WritePrecision.TryParse(precisionText, api == InfluxApiVersion.V1, out var precision))
        {
            return Error(context, api, StatusCodes.Status400BadRequest,
                $"invalid precision '{precisionText}' (query parameter 'precision'): use one of {(api == InfluxApiVersion.V1 ? WritePrecision.V1Values : WritePrecision.V2Values)}");
        }

        if (!services.Graph.IsRunning)
        {
            var seconds = IngestEndpoints.RetryAfterSeconds(services.Graph);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Error(context, api, StatusCodes.Status503ServiceUnavailable,
                $"no ingest graph runs: {services.Graph.StoppedReason ?? "it is starting"}; retry after {seconds} s (nothing of this request was kept)");
        }

        var limit = services.Http.Value.MaxRequestBodyBytes;
        var (status, body, failure) = await RequestBody.ReadAsync(context, limit);
        switch (status)
        {
            case RequestBodyStatus.TooLarge:
                Diagnostics.OversizeMemoryReclaimer.AfterRefusedBody(context, limit);
                return Error(context, api, StatusCodes.Status413PayloadTooLarge, $"request body over the limit of {limit} bytes ({HttpEndpointOptions.SectionName}:MaxRequestBodyBytes); nothing of this request was kept");
            case RequestBodyStatus.UnsupportedEncoding:
                return Error(context, api, StatusCodes.Status415UnsupportedMediaType, $"Content-Encoding '{context.Request.Headers.ContentEncoding}' is not supported: send gzip or identity");
            case RequestBodyStatus.CorruptEncoding:
                return Error(context, api, StatusCodes.Status400BadRequest, "the body is not valid gzip data");
            case RequestBodyStatus.TimedOut:
                services.Aborted.Report(context, timedOut: true, failure ?? "timed out");
                return Error(context, api, StatusCodes.Status408RequestTimeout, "the body was sent too slowly and was not read to its end (nothing of this request was kept)");
            case RequestBodyStatus.Aborted:
                // The client is gone or broke the framing: the answer is for the record (Kestrel closes the connection,
                // as the body was not read to its end; aborting it ourselves would log an Information line per request).
                services.Aborted.Report(context, timedOut: false, failure ?? "aborted");
                return Error(context, api, StatusCodes.Status400BadRequest, "the body ended early (nothing of this request was kept)");
        }

        var messageContext = new MessageContext(string.Empty, UnixTime.Now(services.Time));
        var maxMessage = services.Ingest.Value.MaxMessageBytes;
        var write = LineProtocolWrite.Split(body, precision, services.Codecs.LineProtocol, messageContext, maxMessage);
        if (write.Oversized is { } oversized)
        {
            return Error(context, api, StatusCodes.Status413PayloadTooLarge,
                $"line {oversized.Number}: {oversized.Bytes} bytes, over the limit of {maxMessage} bytes per line ({HttpIngestOptions.SectionName}:{nameof(HttpIngestOptions.MaxMessageBytes)}); nothing of this request was kept");
        }

        var messages = Messages(write, messageContext, maxMessage);
        var offer = messages.Count == 0 ? IngestOffer.Accepted : await IngestEndpoints.OfferAsync(context, services.Aborted, ct => services.Inlet.OfferAllAsync(messages, ct));
        if (offer == IngestOffer.ClientGone)
        {
            return Error(context, api, StatusCodes.Status400BadRequest, "the client went away before the request was committed");
        }

        if (offer != IngestOffer.Accepted)
        {
            context.Response.Headers.RetryAfter = services.Ingest.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return offer switch
            {
                IngestOffer.QueueFull => Error(context, api, StatusCodes.Status429TooManyRequests, "the ingest queue is full; retry after the given delay (nothing of this request was kept)"),
                IngestOffer.JournalFull => Error(context, api, StatusCodes.Status503ServiceUnavailable, "the journal holds its disk budget (ReactiveIngest:Journal:DiskBudget); retry after the given delay"),
                _ => Error(context, api, StatusCodes.Status503ServiceUnavailable, "the service is stopping; retry after the given delay"),
            };
        }

        return write.Rejected.Count == 0
            ? Success(context)
            : Error(context, api, StatusCodes.Status400BadRequest, Describe(write, api));
    }

    /// <summary>
    /// The accepted lines in messages of at most <paramref name="maxMessage"/> bytes, then one message per rejected line
    /// (the lines after the first <see cref="MaxRejectedMessages"/> − 1 together, again cut at <paramref name="maxMessage"/>).
    /// </summary>
    private static List<RawMessage> Messages(LineProtocolWrite write, MessageContext context, int maxMessage)
    {
        var messages = new List<RawMessage>(1 + Math.Min(write.Rejected.Count, MaxRejectedMessages));
        foreach (var accepted in write.AcceptedMessages())
        {
            messages.Add(new RawMessage(accepted, context, HttpCodecs.LineProtocolSource));
        }

        // The pipeline decodes each rejected line again and dead-letters it with the same reason and its bytes.
        for (var i = 0; i < write.Rejected.Count; i++)
        {
            if (i == MaxRejectedMessages - 1 && write.Rejected.Count > MaxRejectedMessages)
            {
                var rest = new ArrayBufferWriter<byte>();
                foreach (var line in write.Rejected.Skip(i))
                {
                    rest.Write(line.Bytes.Span);
                    rest.Write("\n"u8);
                }

                foreach (var part in LineProtocolWrite.Messages(rest.WrittenMemory, maxMessage))
                {
                    messages.Add(new RawMessage(part, context, HttpCodecs.LineProtocolSource));
                }

                break;
            }

            messages.Add(new RawMessage(write.Rejected[i].Bytes, context, HttpCodecs.LineProtocolSource));
        }

        return messages;
    }

    private static string Describe(LineProtocolWrite write, InfluxApiVersion api)
    {
        var first = write.Rejected[0];
        var text = Encoding.UTF8.GetString(first.Bytes.Span);
        if (text.Length > MaxQuotedLine)
        {
            text = string.Concat(text.AsSpan(0, MaxQuotedLine), "…");
        }

        var message = new StringBuilder();
        if (write.AcceptedLines > 0)
        {
            message.Append("partial write: ");
        }

        message.Append(CultureInfo.InvariantCulture, $"unable to parse '{text}' (line {first.Number}): {first.Error.Reason}: {first.Error.Detail}");
        message.Append(CultureInfo.InvariantCulture, $"; {write.Rejected.Count} of {write.Rejected.Count + write.AcceptedLines} lines rejected and dead-lettered");
        if (api == InfluxApiVersion.V1)
        {
            message.Append(CultureInfo.InvariantCulture, $" dropped={write.Rejected.Count}");
        }

        return message.ToString();
    }

    private static IResult Success(HttpContext context)
    {
        SetHeaders(context);
        return TypedResults.NoContent();
    }

    /// <summary>An error as InfluxDB shapes it: v1 <c>{"error":"…"}</c>, v2 <c>{"code":"…","message":"…"}</c>.</summary>
    internal static IResult Error(HttpContext context, InfluxApiVersion api, int status, string message)
    {
        SetHeaders(context);
        var body = api == InfluxApiVersion.V1
            ? new Dictionary<string, string> { ["error"] = message }
            : new Dictionary<string, string> { ["code"] = V2Code(status), ["message"] = message };
        return TypedResults.Json(body, statusCode: status);
    }

    private static string V2Code(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status413PayloadTooLarge => "request too large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported media type",
        StatusCodes.Status429TooManyRequests => "too many requests",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => "invalid",
    };

    private static void SetHeaders(HttpContext context)
    {
        context.Response.Headers[VersionHeader] = Version;
        context.Response.Headers["X-Influxdb-Build"] = "OSS";
    }

    /// <summary>What a write handler needs from the container.</summary>
    internal sealed record WriteServices(
        HttpIngestInlet Inlet,
        HttpCodecs Codecs,
        IOptions<HttpIngestOptions> Ingest,
        IOptions<HttpEndpointOptions> Http,
        TimeProvider Time,
        GraphState Graph,
        AbortedBodies Aborted);
}
