using ReactiveIngest.TestSupport.Journal;
using ReactiveIngest.Simulator.Servers;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace ReactiveIngest.Service.Tests.Hosting;

public sealed class HostingSpec
{
    private static WebApplicationFactory<Program> Host(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    [Fact]
    public async Task Liveness_and_metrics_should_answer_without_an_api_key()
    {
        await using var host = Host(("ReactiveIngest:Http:ApiKey", "0123456789abcdef-key"));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("reactiveingest_pipeline_readings_received", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_should_be_unhealthy_while_an_mqtt_source_cannot_reach_its_broker()
    {
        var closedPort = ReactiveIngest.Simulator.Servers.FreePort.Next();
        await using var host = Host(
            ("ReactiveIngest:Sources:Mqtt:0:Connection:Host", "127.0.0.1"),
            ("ReactiveIngest:Sources:Mqtt:0:Connection:Port", closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("ReactiveIngest:Sources:Mqtt:0:Connection:ClientId", "readiness-test"),
            ("ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter", "t/#"));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Api_requests_without_the_configured_key_should_get_401()
    {
        await using var host = Host(("ReactiveIngest:Http:ApiKey", "0123456789abcdef-key"));
        using var client = host.CreateClient();
        var response = await client.GetAsync(new Uri("/api/devices", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/devices");
        request.Headers.Add("X-Api-Key", "0123456789abcdef-key");
        var authorised = await client.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.Unauthorized, authorised.StatusCode);
    }

    [Fact]
    public void Listening_on_a_public_address_without_an_api_key_should_fail_at_start_naming_the_key()
    {
        using var host = Host(("ReactiveIngest:Http:Urls", "http://0.0.0.0:5080"));
        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());
        Assert.Contains("ReactiveIngest:Http:ApiKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_http_setting_should_be_reported_at_once()
    {
        var result = new ReactiveIngest.Service.Hosting.HttpEndpointOptionsValidator().Validate(null, new ReactiveIngest.Service.Hosting.HttpEndpointOptions
        {
            Urls = "ftp://127.0.0.1:21;http://10.1.2.3:80",
            ApiKey = "short",
            MaxRequestBodyBytes = 10,
        });
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("ReactiveIngest:Http:Urls", StringComparison.Ordinal) && f.Contains("ftp://", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ReactiveIngest:Http:ApiKey", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ReactiveIngest:Http:MaxRequestBodyBytes", StringComparison.Ordinal));
    }
}
