using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Codecs;

namespace ReactiveIngest.Service.Ingest;

/// <summary>Registers HTTP ingestion.</summary>
public static class HttpIngestExtensions
{
    /// <summary>Adds the bounded inlet and the decoders of <c>POST /api/ingest</c>.</summary>
    public static IHostApplicationBuilder AddHttpIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<HttpIngestOptions>, HttpIngestOptionsValidator>();
        builder.Services.AddOptions<HttpIngestOptions>().BindConfiguration(HttpIngestOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<HttpIngestInlet>();
        builder.Services.AddSingleton<AbortedBodies>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(_ => new HttpCodecs(new JsonReadingDecoder(), new LineProtocolDecoder()));
        return builder;
    }
}
