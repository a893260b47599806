using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

/// <summary>While no ingest graph runs, HTTP ingestion answers 503 with Retry-After and keeps nothing.</summary>
public sealed class NotRunningSpec
{
    /// <summary>The service without its pipeline service, and the graph state the test drives.</summary>
    private static WebApplicationFactory<Program> Host(GraphState state) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.ConfigureTestServices(services =>
            {
                foreach (var hosted in services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)).ToList())
                {
                    services.Remove(hosted);
                }

                services.AddSingleton(state);
            });
        });

    private static StringContent Lines() => new("m,deviceId=nr v=1\n", Encoding.UTF8, "text/plain");

    private static long Appended(WebApplicationFactory<Program> host) =>
        host.Services.GetRequiredService<SourceJournals>().Statistics().Sum(s => s.Appended);

    [Fact]
    public async Task Before_a_graph_runs_an_ingest_request_should_get_503_with_retry_after_and_the_reason()
    {
        await using var host = Host(new GraphState());
        using var client = host.CreateClient();

        var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), new StringContent("""{"deviceId":"nr","temperature":1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NotRunning", problem.GetProperty("reason").GetString());
        Assert.Equal(
            "No ingest graph runs: the pipeline has not started; retry after 1 s. Nothing from this request was kept.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(0, Appended(host));
    }

    [Theory]
    [InlineData("/write?db=x", "error")]
    [InlineData("/api/v2/write?org=o&bucket=b", "message")]
    public async Task After_a_graph_failed_an_influxdb_write_should_get_503_with_the_restart_delay_as_retry_after(string url, string property)
    {
        var state = new GraphState();
        state.Started(afterFailure: false);
        state.Failed("decoder crashed", TimeSpan.FromSeconds(6.2));
        await using var host = Host(state);
        using var client = host.CreateClient();

        var response = await client.PostAsync(new Uri(url, UriKind.Relative), Lines());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Equal(InfluxWriteEndpoints.Version, response.Headers.GetValues(InfluxWriteEndpoints.VersionHeader).Single());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = body.GetProperty(property).GetString();
        Assert.Contains("decoder crashed", message, StringComparison.Ordinal);
        Assert.Contains("retry after 7 s", message, StringComparison.Ordinal);
        if (property == "message")
        {
            Assert.Equal("unavailable", body.GetProperty("code").GetString());
        }

        Assert.Equal(0, Appended(host));
    }

    [Fact]
    public async Task Once_a_graph_runs_again_requests_should_be_taken_and_while_stopping_refused()
    {
        var state = new GraphState();
        await using var host = Host(state);
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostAsync(new Uri("/write?db=x", UriKind.Relative), Lines())).StatusCode);

        state.Started(afterFailure: true);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(new Uri("/write?db=x", UriKind.Relative), Lines())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), Lines())).StatusCode);
        Assert.Equal(2, Appended(host));

        state.Stopped("the service is stopping");
        var stopping = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), Lines());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopping.StatusCode);
        Assert.Contains("the service is stopping", (await stopping.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, Appended(host));
    }

    [Fact]
    public async Task The_hosted_pipeline_should_mark_its_graph_running_once_started()
    {
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New()));
        using var client = host.CreateClient();
        Assert.True(host.Services.GetRequiredService<GraphState>().IsRunning);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), Lines())).StatusCode);
    }
}
