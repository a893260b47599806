using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ReactiveIngest.Service.Hosting;

/// <summary>
/// Requires the <c>X-Api-Key</c> header on <c>/api</c> requests when an API key is configured; answers 401
/// otherwise. Health and metrics endpoints stay open for probes and scrapers.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<HttpEndpointOptions> options)
{
    /// <summary>The header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    private readonly byte[]? _key = options.Value.ApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_key is null || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        var presented = context.Request.Headers[HeaderName].ToString();
        if (presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _key))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
        return context.Response.WriteAsJsonAsync(new { title = "Unauthorized", status = 401, detail = $"Send the API key in the {HeaderName} header." });
    }
}
