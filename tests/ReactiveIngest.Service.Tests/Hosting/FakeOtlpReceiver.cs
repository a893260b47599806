using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ReactiveIngest.Simulator.Servers;

namespace ReactiveIngest.Service.Tests.Hosting;

/// <summary>
/// An OTLP/HTTP collector stand-in on a free loopback port: answers 200 to every POST and keeps each request's path
/// and (inflated) protobuf body, so a test can see which signals arrived and what they carry.
/// </summary>
internal sealed class FakeOtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOtlpReceiver(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base address to give as OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public Uri Endpoint { get; }

    /// <summary>Every request received: its path and body.</summary>
    public ConcurrentQueue<(string Path, byte[] Body)> Requests { get; } = new();

    public static async Task<FakeOtlpReceiver> StartAsync()
    {
        var endpoint = new Uri("http://127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(endpoint.ToString());
        var app = builder.Build();
        var receiver = new FakeOtlpReceiver(app, endpoint);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            Stream body = context.Request.Body;
            if (context.Request.Headers.ContentEncoding.ToString() == "gzip")
            {
                body = new GZipStream(body, CompressionMode.Decompress);
            }

            using var copy = new MemoryStream();
            await body.CopyToAsync(copy);
            receiver.Requests.Enqueue((context.Request.Path.Value ?? string.Empty, copy.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
