using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Api;

/// <summary>Every bad query parameter of the HTTP API is answered with RFC 9457 problem details naming it.</summary>
public sealed class QueryParameterProblemSpec : IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> _host = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New()));
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _host.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private static async Task AssertProblemNamingAsync(HttpResponseMessage response, string parameter)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), $"no error for '{parameter}' in {problem}");
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Theory]
    [InlineData("/api/devices?limit=abc", "limit")]
    [InlineData("/api/devices?limit=0", "limit")]
    [InlineData("/api/devices?limit=99999999999", "limit")]
    [InlineData("/api/deadletters?limit=abc", "limit")]
    [InlineData("/api/deadletters?limit=10001", "limit")]
    [InlineData("/api/top?metric=t&n=abc", "n")]
    [InlineData("/api/top?metric=t&n=1001", "n")]
    [InlineData("/api/top?metric=t&stat=median", "stat")]
    [InlineData("/api/top?metric=t&window=1y", "window")]
    [InlineData("/api/top", "metric")]
    [InlineData("/api/aggregates?metric=t", "device")]
    [InlineData("/api/aggregates?device=d", "metric")]
    [InlineData("/api/aggregates?device=d&metric=t&from=yesterday", "from")]
    [InlineData("/api/aggregates?device=d&metric=t&to=soon", "to")]
    [InlineData("/api/aggregates?device=d&metric=t&window=1y", "window")]
    [InlineData("/api/aggregates?device=d&metric=t&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task A_bad_query_parameter_should_get_problem_json_naming_it(string url, string parameter) =>
        await AssertProblemNamingAsync(await _client.GetAsync(new Uri(url, UriKind.Relative)), parameter);

    [Theory]
    [InlineData("/api/ingest?precision=fortnight", "text/plain", "m,deviceId=a v=1 1")]
    [InlineData("/api/ingest?precision=m", "text/plain", "m,deviceId=a v=1 1")]
    [InlineData("/api/ingest?precision=s", "application/json", """{"deviceId":"a","v":1}""")]
    public async Task A_bad_ingest_precision_should_get_problem_json_naming_it(string url, string contentType, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        await AssertProblemNamingAsync(await _client.PostAsync(new Uri(url, UriKind.Relative), content), "precision");
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/api/devices", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/api/ingest", HttpStatusCode.MethodNotAllowed)]
    public async Task An_error_without_a_body_should_still_get_problem_json(string method, string url, HttpStatusCode status)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }
}
