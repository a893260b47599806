using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;

namespace ReactiveIngest.Service.Ingest;

/// <summary>
/// Reads an ingest request's body into memory with the size limit enforced, also without a Content-Length
/// (chunked requests) and after decompression: <c>Content-Encoding: gzip</c> bodies (what Telegraf and the InfluxDB
/// clients send) are inflated and the limit applies to the inflated bytes, so a small bomb cannot fill memory.
/// </summary>
public static class RequestBody
{
    /// <summary>Reads the body; the bytes are empty unless the status is <see cref="RequestBodyStatus.Read"/>.</summary>
    public static async Task<(RequestBodyStatus Status, byte[] Body)> ReadAsync(HttpContext context, long limit)
    {
        ArgumentNullException.ThrowIfNull(context);
        var encoding = context.Request.Headers.ContentEncoding.ToString().Trim();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) || encoding.Equals("x-gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (RequestBodyStatus.UnsupportedEncoding, []);
        }

        if (context.Request.ContentLength > limit)
        {
            return (RequestBodyStatus.TooLarge, []);
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
                return await ReadLimitedAsync(context.Request.Body, limit, context.RequestAborted);
            }

            await using var inflated = new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true);
            return await ReadLimitedAsync(inflated, limit, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (RequestBodyStatus.TooLarge, []);
        }
        catch (InvalidDataException) when (gzip)
        {
            return (RequestBodyStatus.CorruptEncoding, []);
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
