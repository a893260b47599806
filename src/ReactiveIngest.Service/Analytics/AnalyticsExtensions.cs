using Microsoft.Extensions.Options;

namespace ReactiveIngest.Service.Analytics;

/// <summary>Wires configured transforms and alert rules into the host.</summary>
public static class AnalyticsExtensions
{
    /// <summary>
    /// Reads and validates <c>ReactiveIngest:Transforms</c> and <c>ReactiveIngest:Alerts</c> (failing while the host is
    /// built with every problem of both, each naming its key) and registers <see cref="PipelineAnalytics"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineAnalytics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var failures = new List<string>();
        TransformCatalog? transforms = null;
        AlertCatalog? alerts = null;
        try
        {
            transforms = TransformCatalog.Load(builder.Configuration);
        }
        catch (OptionsValidationException e)
        {
            failures.AddRange(e.Failures);
        }

        try
        {
            alerts = AlertCatalog.Load(builder.Configuration);
        }
        catch (OptionsValidationException e)
        {
            failures.AddRange(e.Failures);
        }

        if (transforms is null || alerts is null)
        {
            throw new OptionsValidationException("ReactiveIngest", typeof(PipelineAnalytics), failures);
        }

        builder.Services.AddSingleton(transforms);
        builder.Services.AddSingleton(alerts);
        builder.Services.AddSingleton<PipelineAnalytics>();
        return builder;
    }
}
