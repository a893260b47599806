using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;

namespace ReactiveIngest.Service.Live;

/// <summary>Registers the live view, the status counters and the dashboard.</summary>
public static class LiveViewExtensions
{
    /// <summary>Adds the bounded in-memory live view and pipeline counters.</summary>
    public static IHostApplicationBuilder AddLiveView(this IHostApplicationBuilder builder, IReadOnlyList<string> windowNames)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LiveViewOptions>().BindConfiguration(LiveViewOptions.SectionName).ValidateOnStart()
            .Validate(o => o.MaxDevices > 0, $"{LiveViewOptions.SectionName}:MaxDevices must be positive.")
            .Validate(o => o.MaxSeries > 0, $"{LiveViewOptions.SectionName}:MaxSeries must be positive.")
            .Validate(o => o.ResultsPerSeries > 0, $"{LiveViewOptions.SectionName}:ResultsPerSeries must be positive.")
            .Validate(o => o.StreamBufferPerClient > 0, $"{LiveViewOptions.SectionName}:StreamBufferPerClient must be positive.")
            .Validate(o => o.MaxStreamClients > 0, $"{LiveViewOptions.SectionName}:MaxStreamClients must be positive.");
        builder.Services.AddSingleton<LiveViewStore>();
        builder.Services.AddSingleton<PipelineStatus>();
        builder.Services.TryAddSingleton<IWindowHistory, NoWindowHistory>();
        builder.Services.AddSingleton(new WindowCatalog(windowNames));
        return builder;
    }

    /// <summary>
    /// Serves the live dashboard page at <c>/</c> from the files embedded in the assembly (<c>wwwroot</c>, with the
    /// vendored chart library), so it works whatever the working directory or content root.
    /// </summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = DashboardFiles;
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }

    /// <summary>The dashboard's files: <c>wwwroot</c> as embedded in the service assembly.</summary>
    public static IFileProvider DashboardFiles { get; } = new ManifestEmbeddedFileProvider(typeof(LiveViewExtensions).Assembly, "wwwroot");
}
