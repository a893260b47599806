using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ReactiveIngest.Influx.Writing;

namespace ReactiveIngest.Influx.Query;

/// <summary>
/// Runs InfluxQL over <c>/query</c> (InfluxDB 1.x, and the v1 compatibility endpoint of 2.x/3.x/Cloud with
/// <c>Authorization: Token …</c>), with values passed as bound parameters in the <c>params</c> form field:
/// the query text refers to them as <c>$name</c>, and no value is ever put into the text. Results come
/// back as series of <see cref="QueryRow"/>s with times in epoch nanoseconds.
/// </summary>
public sealed class InfluxQueryClient : IDisposable
{
    private readonly InfluxWriterOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly Uri _queryUri;

    /// <summary>
    /// Creates a client from the same settings as the writer: <see cref="InfluxWriterOptions.Url"/>, the
    /// database (v1; for v2 the <see cref="InfluxWriterOptions.Database"/> mapped to the bucket, or the bucket
    /// name), and the credentials.
    /// </summary>
    public InfluxQueryClient(InfluxWriterOptions options, HttpClient? httpClient = null)
    {
        InfluxWriterOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = options.RequestTimeout };
        _authorization = InfluxWriter.BuildAuthorization(options);
        _queryUri = new Uri(options.Url!, "query");
    }

    /// <summary>Runs one InfluxQL statement and returns its series.</summary>
    /// <param name="influxQl">The statement; values are referred to as <c>$name</c>.</param>
    /// <param name="parameters">The values of the <c>$name</c> placeholders (string, number or boolean).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="InfluxQueryException">The server refused the request or the statement.</exception>
    public async Task<IReadOnlyList<QuerySeries>> QueryAsync(string influxQl, IReadOnlyDictionary<string, object?>? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(influxQl);
        var form = new List<KeyValuePair<string, string>>
        {
            new("q", influxQl),
            new("db", _options.Database ?? _options.Bucket!),
            new("epoch", "ns"),
        };
        if (!string.IsNullOrEmpty(_options.RetentionPolicy))
        {
            form.Add(new("rp", _options.RetentionPolicy));
        }

        if (parameters is { Count: > 0 })
        {
            form.Add(new("params", SerializeParameters(parameters)));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _queryUri) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InfluxQueryException($"InfluxDB answered {(int)response.StatusCode} to the query: {body.Trim()}");
        }

        return Parse(body);
    }

    /// <summary>Runs a statement and maps every row of every series with <paramref name="map"/>.</summary>
    public async Task<IReadOnlyList<T>> QueryRowsAsync<T>(string influxQl, IReadOnlyDictionary<string, object?>? parameters, Func<QuerySeries, QueryRow, T> map, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(map);
        var series = await QueryAsync(influxQl, parameters, cancellationToken).ConfigureAwait(false);
        return [.. series.SelectMany(s => s.Rows.Select(r => map(s, r)))];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    internal static string SerializeParameters(IReadOnlyDictionary<string, object?> parameters)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (var (name, value) in parameters)
            {
                json.WritePropertyName(name);
                switch (value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case string s:
                        json.WriteStringValue(s);
                        break;
                    case bool b:
                        json.WriteBooleanValue(b);
                        break;
                    case long or int or short or sbyte or byte or ushort or uint:
                        json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                        break;
                    case ulong u:
                        json.WriteNumberValue(u);
                        break;
                    case double or float or decimal:
                        json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        break;
                    case DateTimeOffset time:
                        json.WriteStringValue(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                        break;
                    default:
                        throw new ArgumentException($"Parameter '{name}' has type {value.GetType().Name}; use string, number, boolean or DateTimeOffset.", nameof(parameters));
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static List<QuerySeries> Parse(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var topError))
        {
            throw new InfluxQueryException(topError.GetString() ?? "query failed");
        }

        var result = new List<QuerySeries>();
        foreach (var statement in root.GetProperty("results").EnumerateArray())
        {
            if (statement.TryGetProperty("error", out var error))
            {
                throw new InfluxQueryException(error.GetString() ?? "statement failed");
            }

            if (!statement.TryGetProperty("series", out var seriesArray))
            {
                continue;
            }

            foreach (var series in seriesArray.EnumerateArray())
            {
                var name = series.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                if (series.TryGetProperty("tags", out var tagObject))
                {
                    foreach (var tag in tagObject.EnumerateObject())
                    {
                        tags[tag.Name] = tag.Value.GetString() ?? string.Empty;
                    }
                }

                var columns = series.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
                var rows = new List<QueryRow>();
                if (series.TryGetProperty("values", out var values))
                {
                    foreach (var row in values.EnumerateArray())
                    {
                        rows.Add(new QueryRow(columns, [.. row.EnumerateArray().Select(v => v.Clone())]));
                    }
                }

                result.Add(new QuerySeries(name, tags, columns, rows));
            }
        }

        return result;
    }
}
