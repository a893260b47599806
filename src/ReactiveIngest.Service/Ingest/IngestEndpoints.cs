using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Hosting;

namespace ReactiveIngest.Service.Ingest;

/// <summary>
/// <c>POST /api/ingest</c>: devices that speak HTTP send JSON (<c>application/json</c>) or InfluxDB line
/// protocol (<c>text/plain</c>). 202 once the request is committed to the source's journal on disk (or, with the
/// journal off, in the pipeline's bounded queue); 400 with the reason when it cannot be decoded (nothing is kept, the
/// client keeps the data); 413 beyond the size limit; 503 with Retry-After when the journal holds its disk budget or
/// the service is stopping; 429 with Retry-After when the in-memory queue (journal off) is full.
/// </summary>
public static class IngestEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/api/ingest", IngestAsync);
        return app;
    }

    private static async Task<Results<Accepted<IngestAccepted>, ProblemHttpResult>> IngestAsync(
        HttpContext context,
        HttpIngestInlet inlet,
        HttpCodecs codecs,
        IOptions<HttpIngestOptions> ingestOptions,
        IOptions<HttpEndpointOptions> httpOptions,
        TimeProvider time)
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

        var limit = httpOptions.Value.MaxRequestBodyBytes;
        var tooLarge = Problem(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The limit is {limit} bytes (ReactiveIngest:Http:MaxRequestBodyBytes).");
        if (context.Request.ContentLength > limit)
        {
            return tooLarge;
        }

        // Read the body with the limit enforced even without a Content-Length (chunked requests).
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request.Body, limit, context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException || (e is BadHttpRequestException bad && bad.StatusCode == StatusCodes.Status413PayloadTooLarge))
        {
            return tooLarge;
        }

        var messageContext = new MessageContext(string.Empty, UnixTime.Now(time));
        var readings = new List<Reading>();
        var error = decoder.Decode(body, messageContext, readings);
        if (error is { } e2)
        {
            return Problem(StatusCodes.Status400BadRequest, "Payload rejected", e2.Detail, e2.Reason.ToString());
        }

        var offer = await inlet.OfferAsync(new RawMessage(body, messageContext, source!), context.RequestAborted);
        if (offer == IngestOffer.Accepted)
        {
            return TypedResults.Accepted((string?)null, new IngestAccepted(readings.Count));
        }

        context.Response.Headers.RetryAfter = ingestOptions.Value.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return offer switch
        {
            IngestOffer.QueueFull => Problem(StatusCodes.Status429TooManyRequests, "Pipeline full", "The ingest queue is full; retry after the given delay. Nothing from this request was kept."),
            IngestOffer.JournalFull => Problem(StatusCodes.Status503ServiceUnavailable, "Journal full", "The journal holds its disk budget (ReactiveIngest:Journal:DiskBudget) until stored data is released; retry after the given delay. Nothing from this request was kept."),
            _ => Problem(StatusCodes.Status503ServiceUnavailable, "Stopping", "The service is stopping; retry after the given delay. Nothing from this request was kept."),
        };
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var writer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = writer.GetMemory(8192);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return writer.WrittenSpan.ToArray();
            }

            writer.Advance(read);
            if (writer.WrittenCount > limit)
            {
                throw new InvalidDataException("body over limit");
            }
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, string? reason = null)
    {
        var extensions = reason is null ? null : new Dictionary<string, object?> { ["reason"] = reason };
        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }
}

/// <summary>The answer to an accepted ingest request.</summary>
/// <param name="Readings">How many readings the request contained.</param>
public sealed record IngestAccepted(int Readings);
