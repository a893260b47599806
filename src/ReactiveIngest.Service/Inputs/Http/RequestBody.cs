using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>
/// Reads an ingest request's body into memory with the size limit enforced, also without a Content-Length
/// (chunked requests) and after decompression: <c>Content-Encoding: gzip</c> bodies (what Telegraf and the InfluxDB
/// clients send) are inflated and the limit applies to the inflated bytes, so a small bomb cannot fill memory.
/// </summary>
public static class RequestBody
{
    /// <summary>
    /// Reads the body; the bytes are empty unless the status is <see cref="RequestBodyStatus.Read"/>. A body the client
    /// sends too slowly, abandons or breaks is <see cref="RequestBodyStatus.TimedOut"/> or
    /// <see cref="RequestBodyStatus.Aborted"/> with the exception's message as <c>Failure</c> (no exception escapes).
    /// </summary>
    public static async Task<(RequestBodyStatus Status, byte[] Body, string? Failure)> ReadAsync(HttpContext context, long limit)
    {
        ArgumentNullException.ThrowIfNull(context);
        var encoding = context.Request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (RequestBodyStatus.UnsupportedEncoding, [], null);
        }

        if (context.Request.ContentLength > limit)
        {
            return (RequestBodyStatus.TooLarge, [], null);
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        try
        {
            if (!gzip)
            {
                var (status, body) = await ReadLimitedAsync(context.Request.Body, limit, context.RequestAborted);
                return (status, body, null);
            }

            await using var inflated = new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true);
            var (inflatedStatus, inflatedBody) = await ReadLimitedAsync(inflated, limit, context.RequestAborted);
            return (inflatedStatus, inflatedBody, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (RequestBodyStatus.TooLarge, [], null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // Kestrel's MinRequestBodyDataRate: the client sends too slowly.
            return (RequestBodyStatus.TimedOut, [], e.Message);
        }
        catch (BadHttpRequestException e)
        {
            // "Unexpected end of request content" (closed before Content-Length), broken chunked framing.
            return (RequestBodyStatus.Aborted, [], e.Message);
        }
        catch (InvalidDataException) when (gzip)
        {
            return (RequestBodyStatus.CorruptEncoding, [], null);
        }
        catch (IOException e)
        {
            // ConnectionResetException and other transport failures.
            return (RequestBodyStatus.Aborted, [], e.Message);
        }
        catch (OperationCanceledException e) when (context.RequestAborted.IsCancellationRequested)
        {
            return (RequestBodyStatus.Aborted, [], e.Message);
        }
    }

    private static async Task<(RequestBodyStatus, byte[])> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var writer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = writer.GetMemory(8192);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return (RequestBodyStatus.Read, writer.WrittenSpan.ToArray());
            }

            writer.Advance(read);
            if (writer.WrittenCount > limit)
            {
                return (RequestBodyStatus.TooLarge, []);
            }
        }
    }
}
