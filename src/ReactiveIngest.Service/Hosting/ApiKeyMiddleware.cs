using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Inputs.Http;

namespace ReactiveIngest.Service.Hosting;

/// <summary>
/// Requires the API key on <c>/api</c> requests and on the InfluxDB v1 write endpoint <c>/write</c> when an API key
/// is configured; answers 401 otherwise. Health, metrics, the dashboard and <c>/ping</c> stay open for probes,
/// scrapers and InfluxDB clients.
/// <para>
/// The key is accepted where each kind of client puts its credentials: the <c>X-Api-Key</c> header;
/// <c>Authorization: Token &lt;key&gt;</c> (InfluxDB 2 clients and Telegraf's <c>influxdb_v2</c> output: the token is
/// the API key; InfluxDB 1.8's <c>Token user:key</c> form works too) or <c>Bearer &lt;key&gt;</c>;
/// <c>Authorization: Basic</c> with the key as the password (Telegraf's <c>influxdb</c> output with
/// <c>username</c>/<c>password</c>); and on <c>/write</c> the v1 query parameter <c>p</c> (<c>u</c> is ignored).
/// </para>
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
        var path = context.Request.Path;
        var influxV1 = path.Equals("/write", StringComparison.OrdinalIgnoreCase);
        if (_key is null || !(influxV1 || path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)))
        {
            return next(context);
        }

        if (Presented(context.Request, influxV1).Any(Matches))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "ApiKey header=\"X-Api-Key\"";
        const string Detail = $"Send the API key in the {HeaderName} header (or as Authorization: Token <key> for InfluxDB clients).";
        if (influxV1 || path.StartsWithSegments("/api/v2/write", StringComparison.OrdinalIgnoreCase))
        {
            var api = influxV1 ? InfluxApiVersion.V1 : InfluxApiVersion.V2;
            return InfluxWriteEndpoints.Error(context, api, StatusCodes.Status401Unauthorized, "authorization failed: " + Detail).ExecuteAsync(context);
        }

        return TypedResults.Problem(Detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(context);
    }

    private bool Matches(string presented) =>
        presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _key);

    /// <summary>Every credential the request carries that could be the key.</summary>
    private static IEnumerable<string> Presented(HttpRequest request, bool influxV1)
    {
        yield return request.Headers[HeaderName].ToString();
        var authorization = request.Headers.Authorization.ToString();
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0)
        {
            var scheme = authorization[..space];
            var value = authorization[(space + 1)..].Trim();
            if (scheme.Equals("Token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                yield return value;
                if (value.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
                {
                    yield return value[(colon + 1)..];
                }
            }
            else if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && BasicPassword(value) is { } password)
            {
                yield return password;
            }
        }

        if (influxV1)
        {
            yield return request.Query["p"].ToString();
        }
    }

    private static string? BasicPassword(string encoded)
    {
        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : text[(colon + 1)..];
    }
}
