using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ReactiveIngest.Service.Hosting;

/// <summary>Hosting concerns every deployment needs: listen addresses, limits, API key, metrics, health.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The path of the Prometheus scraping endpoint (no API key needed).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The service name in telemetry when <c>OTEL_SERVICE_NAME</c> is not set.</summary>
    public const string DefaultServiceName = "reactiveingest";

    /// <summary>The standard variable whose presence switches the OTLP exporters on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard variable naming the service in telemetry.</summary>
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>Binds and validates the HTTP options, configures Kestrel, metrics and health checks.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<HttpEndpointOptions>, HttpEndpointOptionsValidator>();
        builder.Services.AddOptions<HttpEndpointOptions>().BindConfiguration(HttpEndpointOptions.SectionName).ValidateOnStart();

        // Kestrel needs the addresses before the host starts, so validate them here and fail naming the key.
        var http = builder.Configuration.GetSection(HttpEndpointOptions.SectionName).Get<HttpEndpointOptions>() ?? new HttpEndpointOptions();
        var result = new HttpEndpointOptionsValidator().Validate(null, http);
        if (result.Failed)
        {
            throw new OptionsValidationException(HttpEndpointOptions.SectionName, typeof(HttpEndpointOptions), result.Failures);
        }

        builder.WebHost.UseUrls([.. http.UrlList]);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = http.MaxRequestBodyBytes);

        builder.Services.AddHealthChecks();

        // Bad requests answer RFC 9457 problem details: handlers return them themselves, and empty 4xx/5xx answers
        // (unknown routes, wrong methods) get one from the status-code pages.
        builder.Services.AddProblemDetails();
        builder.AddTelemetry();
        return builder;
    }

    /// <summary>
    /// OpenTelemetry: metrics (the service's meters, the runtime's, ASP.NET Core's and HttpClient's) on the Prometheus
    /// endpoint always; and when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, metrics, traces (ASP.NET Core and
    /// HttpClient, so InfluxDB writes show under their request) and logs exported by OTLP, configured by the standard
    /// variables (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c> grpc or http/protobuf, <c>OTEL_EXPORTER_OTLP_HEADERS</c>,
    /// <c>OTEL_METRIC_EXPORT_INTERVAL</c>, …). The service name is <c>OTEL_SERVICE_NAME</c>, by default
    /// <see cref="DefaultServiceName"/>.
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var serviceName = builder.Configuration[ServiceNameVariable] is { Length: > 0 } name ? name : DefaultServiceName;
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(Diagnostics.IngestMeters.All)
                // The runtime's own meter: GC collections, pause time and allocated bytes (dotnet_gc_heap_total_allocated_bytes_total),
                // CPU time, thread-pool queue; allocation per message is the service's main CPU cost after the work itself.
                .AddMeter("System.Runtime")
                // Microsoft.AspNetCore.Hosting (http.server.request.duration), Server.Kestrel (connections), …
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddPrometheusExporter());
        if (exportOtlp)
        {
            // Traces only when they go somewhere: recording spans nobody reads would cost every request.
            telemetry
                .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Maps <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>, the API key check and problem details for empty error answers.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStatusCodePages();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
