using System.Text;
using ReactiveIngest.Service.Tests.Browser;
using Xunit;

namespace ReactiveIngest.Service.Tests.Hosting;

/// <summary>The service run as a process with the standard OpenTelemetry variables exports metrics and traces by OTLP.</summary>
public sealed class TelemetryExportSpec
{
    [Fact]
    public async Task The_service_should_export_metrics_and_traces_named_after_otel_service_name_when_the_otlp_endpoint_is_set()
    {
        await using var receiver = await FakeOtlpReceiver.StartAsync();
        const string ServiceName = "reactiveingest-otlp-spec";
        await using var service = await DemoServiceProcess.StartAsync(
            new Dictionary<string, string>(),
            new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_SERVICE_NAME"] = ServiceName,
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            });
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        (await http.GetAsync(new Uri("api/status", UriKind.Relative))).EnsureSuccessStatusCode();

        var name = Encoding.UTF8.GetBytes(ServiceName);
        bool Arrived(string path, string content) => receiver.Requests.Any(r =>
            r.Path == path && r.Body.AsSpan().IndexOf(name) >= 0 && r.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(content)) >= 0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(Arrived("/v1/metrics", "http.server.request.duration") && Arrived("/v1/metrics", "ReactiveIngest.Pipeline") && Arrived("/v1/traces", "/api/status")))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"expected OTLP metrics (ASP.NET Core's and the service's) and a trace of GET /api/status with service name {ServiceName}; got: "
                + string.Join(", ", receiver.Requests.Select(r => $"{r.Path} ({r.Body.Length} B)")));
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task The_service_should_log_json_lines_with_the_json_console_formatter()
    {
        await using var service = await DemoServiceProcess.StartAsync(
            new Dictionary<string, string>(),
            new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "json" });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var line = service.Log.Since(0).FirstOrDefault(l => l.Contains("\"Category\":\"ReactiveIngest.Service.Pipeline.IngestPipelineService\"", StringComparison.Ordinal));
            if (line is not null)
            {
                using var entry = System.Text.Json.JsonDocument.Parse(line);
                Assert.Equal("Information", entry.RootElement.GetProperty("LogLevel").GetString());
                Assert.False(string.IsNullOrEmpty(entry.RootElement.GetProperty("Message").GetString()));
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "no JSON log line from the pipeline service: " + string.Join(Environment.NewLine, service.Log.Since(0).Take(20)));
            await Task.Delay(100);
        }
    }
}
