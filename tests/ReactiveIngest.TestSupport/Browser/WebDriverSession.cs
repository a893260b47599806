using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReactiveIngest.TestSupport.Browser;

/// <summary>
/// A minimal client for the W3C WebDriver HTTP protocol (the commands our browser tests need: new session,
/// navigate, execute script, screenshot, delete session). Every failure becomes a <see cref="WebDriverException"/>
/// carrying the driver's error code and message.
/// </summary>
public sealed class WebDriverSession : IAsyncDisposable
{
    // Starting a browser on a loaded 2-core machine can take a while; no single command should take longer.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly HttpClient _http;
    private readonly string _sessionPath;
    private bool _deleted;

    private WebDriverSession(HttpClient http, string sessionId)
    {
        _http = http;
        SessionId = sessionId;
        _sessionPath = "session/" + Uri.EscapeDataString(sessionId) + "/";
    }

    /// <summary>The session id the driver assigned.</summary>
    public string SessionId { get; }

    /// <summary>
    /// Opens a session on the driver at <paramref name="driverEndpoint"/> with the given Chrome binary and
    /// command-line arguments (<c>goog:chromeOptions</c>).
    /// </summary>
    public static async Task<WebDriverSession> CreateAsync(
        Uri driverEndpoint, string browserBinary, IEnumerable<string> browserArguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(driverEndpoint);
        ArgumentNullException.ThrowIfNull(browserBinary);
        ArgumentNullException.ThrowIfNull(browserArguments);
        var args = new JsonArray();
        foreach (var argument in browserArguments)
        {
            args.Add(argument);
        }

        var body = new JsonObject
        {
            ["capabilities"] = new JsonObject
            {
                ["alwaysMatch"] = new JsonObject
                {
                    ["browserName"] = "chrome",
                    ["pageLoadStrategy"] = "normal",
                    ["goog:chromeOptions"] = new JsonObject { ["binary"] = browserBinary, ["args"] = args },
                },
            },
        };

        var http = new HttpClient { BaseAddress = driverEndpoint, Timeout = CommandTimeout };
        try
        {
            var value = await SendAsync(http, HttpMethod.Post, "session", body, "new session", cancellationToken);
            var id = value.GetProperty("sessionId").GetString()
                ?? throw new WebDriverException("The driver answered a new session without a session id.");
            return new WebDriverSession(http, id);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Loads <paramref name="url"/> and waits for the page load to complete.</summary>
    public Task NavigateAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        return SendAsync(_http, HttpMethod.Post, _sessionPath + "url", new JsonObject { ["url"] = url.AbsoluteUri }, "navigate", cancellationToken);
    }

    /// <summary>Runs <paramref name="script"/> (a function body; use <c>return</c>) in the page and returns its result.</summary>
    public Task<JsonElement> ExecuteScriptAsync(string script, CancellationToken cancellationToken = default) =>
        ExecuteScriptAsync(script, [], cancellationToken);

    /// <summary>Runs <paramref name="script"/> with string <paramref name="arguments"/> (<c>arguments[0]</c>, …) and returns its result.</summary>
    public Task<JsonElement> ExecuteScriptAsync(string script, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(arguments);
        var args = new JsonArray();
        foreach (var argument in arguments)
        {
            args.Add(argument);
        }

        var body = new JsonObject { ["script"] = script, ["args"] = args };
        return SendAsync(_http, HttpMethod.Post, _sessionPath + "execute/sync", body, "execute script", cancellationToken);
    }

    /// <summary>A PNG screenshot of the current viewport.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken = default)
    {
        var value = await SendAsync(_http, HttpMethod.Get, _sessionPath + "screenshot", null, "screenshot", cancellationToken);
        return Convert.FromBase64String(value.GetString() ?? throw new WebDriverException("The driver answered a screenshot without data."));
    }

    /// <summary>Ends the session; the driver closes the browser.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (_deleted)
        {
            return;
        }

        _deleted = true;
        await SendAsync(_http, HttpMethod.Delete, _sessionPath.TrimEnd('/'), null, "delete session", cancellationToken);
    }

    /// <summary>Deletes the session if still open (errors are ignored: the driver may already be gone).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await DeleteAsync();
        }
        catch (WebDriverException)
        {
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }

        _http.Dispose();
    }

    private static async Task<JsonElement> SendAsync(
        HttpClient http, HttpMethod method, string path, JsonObject? body, string command, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            // A complete body with Content-Length: chromedriver's HTTP server drops chunked requests.
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement value;
        try
        {
            using var document = JsonDocument.Parse(text);
            value = document.RootElement.TryGetProperty("value", out var v) ? v.Clone() : default;
        }
        catch (JsonException e)
        {
            throw new WebDriverException($"WebDriver command '{command}' answered {(int)response.StatusCode} with a body that is not JSON: {Truncate(text)}", e);
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("error", out var e) ? e.GetString() ?? "unknown error" : "unknown error";
            var message = value.ValueKind == JsonValueKind.Object && value.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : Truncate(text);
            throw new WebDriverException(command, error, message);
        }

        return value;
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
