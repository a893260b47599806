using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Hosting;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>
/// <c>POST /api/ingest</c>: devices that speak HTTP send JSON (<c>application/json</c>) or InfluxDB line
/// protocol (<c>text/plain</c>, timestamps in <c>?precision=ns|us|ms|s</c>, default ns), optionally gzip-compressed
/// (<c>Content-Encoding: gzip</c>). 202 once the request is committed to the source's journal on disk (or, with the
/// journal off, in the pipeline's bounded queue); 400 with the reason when it cannot be decoded (nothing is kept, the
/// client keeps the data); 503 with Retry-After while no ingest graph runs (<see cref="GraphState"/>); 413 beyond the request size limit or when one message is over
/// <see cref="HttpIngestOptions.MaxMessageBytes"/> (a JSON body is one message, a line-protocol line is one); 503 with Retry-After when the journal holds its disk budget or
/// the service is stopping; 429 with Retry-After when the in-memory queue (journal off) is full.
/// </summary>
public static class IngestEndpoints
{
    private const string MaxMessageBytesKey = HttpIngestOptions.SectionName + ":" + nameof(HttpIngestOptions.MaxMessageBytes);
    private const string TooLarge = nameof(RejectReason.TooLarge);

    /// <summary>Maps the endpoint, unless HTTP ingestion is disabled (<see cref="HttpIngestOptions.Enabled"/>).</summary>
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.ServiceProvider.GetRequiredService<IOptions<HttpIngestOptions>>().Value.Enabled)
        {
            return app;
        }

        app.MapPost("/api/ingest", IngestAsync);
        return app;
    }

    private static async Task<Results<Accepted<IngestAccepted>, ProblemHttpResult>> IngestAsync(
        HttpContext context,
        HttpIngestInlet inlet,
        HttpCodecs codecs,
        IOptions<HttpIngestOptions> ingestOptions,
        IOptions<HttpEndpointOptions> httpOptions,
        TimeProvider time,
        GraphState graph,
        AbortedBodies aborted,
        string? precision)
    {
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var (decoder, source) = mediaType switch
        {
            "application/json" => (codecs.Json, HttpCodecs.JsonSource),
            "text/plain" => (codecs.LineProtocol, HttpCodecs.LineProtocolSource),
            _ => (null, null),
        };
        if (decoder is null)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Content-Type",
                "Send application/json (JSON readings) or text/plain (InfluxDB line protocol).");
        }

        if (!WritePrecision.TryParse(precision, v1: false, out var writePrecision))
        {
            return Api.QueryParameters.Invalid("precision", $"'{precision}' is not a precision; one of {WritePrecision.V2Values}");
        }

        if (!writePrecision.IsNanoseconds && source == HttpCodecs.JsonSource)
        {
            return Api.QueryParameters.Invalid("precision", "applies to line protocol (text/plain) only; JSON timestamps follow the JSON codec's TimestampUnit");
        }

        if (!graph.IsRunning)
        {
            // Nothing would read what is taken: the client keeps the data and retries once a graph runs again.
            var seconds = RetryAfterSeconds(graph);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problem(StatusCodes.Status503ServiceUnavailable, "Not running",
                $"No ingest graph runs: {graph.StoppedReason ?? "it is starting"}; retry after {seconds} s. Nothing from this request was kept.", "NotRunning");
        }

        var limit = httpOptions.Value.MaxRequestBodyBytes;
        var (status, body, failure) = await RequestBody.ReadAsync(context, limit);
        switch (status)
        {
            case RequestBodyStatus.TooLarge:
                Diagnostics.OversizeMemoryReclaimer.AfterRefusedBody(context, limit);
                return Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"The limit is {limit} bytes ({HttpEndpointOptions.SectionName}:MaxRequestBodyBytes). Nothing from this request was kept.", TooLarge);
            case RequestBodyStatus.UnsupportedEncoding:
                return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Content-Encoding", "Send the body uncompressed or with Content-Encoding: gzip.");
            case RequestBodyStatus.CorruptEncoding:
                return Problem(StatusCodes.Status400BadRequest, "Payload rejected", "The body is not valid gzip data.", "MalformedPayload");
            case RequestBodyStatus.TimedOut:
                aborted.Report(context, timedOut: true, failure ?? "timed out");
                return Problem(StatusCodes.Status408RequestTimeout, "Request body too slow", "The body was sent too slowly and was not read to its end. Nothing from this request was kept.");
            case RequestBodyStatus.Aborted:
                // The client is gone or broke the framing: the answer is for the record (Kestrel closes the connection,
                // as the body was not read to its end; aborting it ourselves would log an Information line per request).
                aborted.Report(context, timedOut: false, failure ?? "aborted");
                return Problem(StatusCodes.Status400BadRequest, "Request body aborted", "The body ended early. Nothing from this request was kept.");
        }

        var maxMessage = ingestOptions.Value.MaxMessageBytes;
        var messageContext = new MessageContext(string.Empty, UnixTime.Now(time));
        IngestOffer offer;
        int count;
        if (source == HttpCodecs.JsonSource)
        {
            // A JSON body is one message, so one journal entry: it must fit whole.
            if (body.Length > maxMessage)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "Message too large",
                    $"A JSON body is one message; this one has {body.Length} bytes and the limit is {maxMessage} bytes ({MaxMessageBytesKey}). " +
                    "Send the readings in several requests. Nothing from this request was kept.", TooLarge);
            }

            var readings = new List<Reading>();
            if (decoder.Decode(body, messageContext, readings) is { } error)
            {
                return Problem(StatusCodes.Status400BadRequest, "Payload rejected", error.Detail, error.Reason.ToString());
            }

            count = readings.Count;
            offer = await OfferAsync(context, aborted, ct => inlet.OfferAsync(new RawMessage(body, messageContext, source), ct));
        }
        else
        {
            // Line by line (timestamps converted to nanoseconds); the request is taken whole or not at all, handed over in
            // messages of whole lines of at most MaxMessageBytes, all in one journal commit.
            var write = LineProtocolWrite.Split(body, writePrecision, decoder, messageContext, maxMessage);
            if (write.Oversized is { } oversized)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "Line too large",
                    $"line {oversized.Number}: {oversized.Bytes} bytes, over the limit of {maxMessage} bytes per line ({MaxMessageBytesKey}). Nothing from this request was kept.", TooLarge);
            }

            if (write.Rejected.Count > 0)
            {
                var first = write.Rejected[0];
                return Problem(StatusCodes.Status400BadRequest, "Payload rejected", $"line {first.Number}: {first.Error.Detail}", first.Error.Reason.ToString());
            }

            if (write.AcceptedLines == 0)
            {
                return Problem(StatusCodes.Status400BadRequest, "Payload rejected", "the payload has no points", nameof(RejectReason.NoMetrics));
            }

            count = write.Readings;
            var messages = write.AcceptedMessages().Select(m => new RawMessage(m, messageContext, HttpCodecs.LineProtocolSource)).ToList();
            offer = await OfferAsync(context, aborted, ct => inlet.OfferAllAsync(messages, ct));
        }

        if (offer == IngestOffer.Accepted)
        {
            return TypedResults.Accepted((string?)null, new IngestAccepted(count));
        }

        if (offer == IngestOffer.ClientGone)
        {
            return Problem(StatusCodes.Status400BadRequest, "Request aborted", "The client went away before the request was committed.");
        }

        context.Response.Headers.RetryAfter = ingestOptions.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return offer switch
        {
            IngestOffer.QueueFull => Problem(StatusCodes.Status429TooManyRequests, "Pipeline full", "The ingest queue is full; retry after the given delay. Nothing from this request was kept."),
            IngestOffer.JournalFull => Problem(StatusCodes.Status503ServiceUnavailable, "Journal full", "The journal holds its disk budget (ReactiveIngest:Journal:DiskBudget) until stored data is released; retry after the given delay. Nothing from this request was kept."),
            _ => Problem(StatusCodes.Status503ServiceUnavailable, "Stopping", "The service is stopping; retry after the given delay. Nothing from this request was kept."),
        };
    }

    /// <summary>
    /// Runs <paramref name="offer"/> with the request's abort token; a client that goes away meanwhile is reported as an
    /// aborted body, answering <see cref="IngestOffer.ClientGone"/> (what was appended may still be committed: a retried
    /// request rewrites the same, idempotent points).
    /// </summary>
    internal static async Task<IngestOffer> OfferAsync(HttpContext context, AbortedBodies aborted, Func<CancellationToken, Task<IngestOffer>> offer)
    {
        try
        {
            return await offer(context.RequestAborted);
        }
        catch (OperationCanceledException e) when (context.RequestAborted.IsCancellationRequested)
        {
            aborted.Report(context, timedOut: false, e.Message);
            return IngestOffer.ClientGone;
        }
    }

    /// <summary>Whole seconds of <see cref="GraphState.RetryAfter"/>, at least 1.</summary>
    internal static int RetryAfterSeconds(GraphState graph) => Math.Max(1, (int)Math.Ceiling(graph.RetryAfter.TotalSeconds));

    private static ProblemHttpResult Problem(int status, string title, string detail, string? reason = null)
    {
        var extensions = reason is null ? null : new Dictionary<string, object?> { ["reason"] = reason };
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }
}

/// <summary>The answer to an accepted ingest request.</summary>
/// <param name="Readings">How many readings the request contained.</param>
public sealed record IngestAccepted(int Readings);
