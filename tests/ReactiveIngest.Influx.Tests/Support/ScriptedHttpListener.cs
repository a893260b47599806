using ReactiveIngest.Simulator.Servers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Influx.Tests.Support;

/// <summary>
/// An in-process HTTP server on a free loopback port that records every request and answers with a
/// scripted response, for behaviour influxd 1.6 cannot show (the v2 API, 413, 429 with Retry-After).
/// </summary>
internal sealed class ScriptedHttpListener : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<RecordedRequest, int, ScriptedResponse> _respond;
    private readonly Task _loop;
    private int _count;

    public ScriptedHttpListener(Func<RecordedRequest, int, ScriptedResponse> respond)
    {
        _respond = respond;
        var port = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopping the listener ends the loop with one of these.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var raw = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(raw);
            var bytes = raw.ToArray();
            var body = bytes;
            if (string.Equals(context.Request.Headers["Content-Encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                await gzip.CopyToAsync(plain);
                body = plain.ToArray();
            }

            var request = new RecordedRequest(
                context.Request.HttpMethod,
                context.Request.RawUrl ?? string.Empty,
                new System.Collections.Specialized.NameValueCollection(context.Request.Headers),
                bytes,
                Encoding.UTF8.GetString(body),
                Stopwatch.GetTimestamp());
            Requests.Enqueue(request);
            var response = _respond(request, Interlocked.Increment(ref _count) - 1);
            context.Response.StatusCode = response.Status;
            foreach (var (name, value) in response.Headers ?? [])
            {
                context.Response.Headers[name] = value;
            }

            var answer = Encoding.UTF8.GetBytes(response.Body ?? string.Empty);
            if (answer.Length > 0)
            {
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(answer);
            }

            context.Response.Close();
        }
    }
}

/// <summary>What the scripted listener answers.</summary>
internal sealed record ScriptedResponse(int Status, string? Body = null, IReadOnlyList<(string Name, string Value)>? Headers = null)
{
    public static ScriptedResponse NoContent { get; } = new(204);
}
