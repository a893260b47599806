using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace ReactiveIngest.Service.Hosting;

/// <summary>Hosting concerns every deployment needs: listen addresses, limits, API key, metrics, health.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The path of the Prometheus scraping endpoint (no API key needed).</summary>
    public const string MetricsPath = "/metrics";

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
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(Diagnostics.IngestMeters.All)
                // The runtime's own meter: GC collections, pause time and allocated bytes (dotnet_gc_heap_total_allocated_bytes_total),
                // CPU time, thread-pool queue; allocation per message is the service's main CPU cost after the work itself.
                .AddMeter("System.Runtime")
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Maps <c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>, and the API key check.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
