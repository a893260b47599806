using Microsoft.Extensions.DependencyInjection.Extensions;
using ReactiveIngest.Core.Codecs;

namespace ReactiveIngest.Service.Ingest;

/// <summary>Registers HTTP ingestion.</summary>
public static class HttpIngestExtensions
{
    /// <summary>Adds the bounded inlet and the decoders of <c>POST /api/ingest</c>.</summary>
    public static IHostApplicationBuilder AddHttpIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HttpIngestOptions>().BindConfiguration(HttpIngestOptions.SectionName).ValidateOnStart()
            .Validate(o => o.QueueCapacity is > 0 and <= 1_000_000, $"{HttpIngestOptions.SectionName}:QueueCapacity must be between 1 and 1000000.")
            .Validate(o => o.RetryAfterSeconds is > 0 and <= 3600, $"{HttpIngestOptions.SectionName}:RetryAfterSeconds must be between 1 and 3600.");
        builder.Services.AddSingleton<HttpIngestInlet>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(_ => new HttpCodecs(new JsonReadingDecoder(), new LineProtocolDecoder()));
        return builder;
    }
}
