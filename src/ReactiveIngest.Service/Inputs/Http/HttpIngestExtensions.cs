using ReactiveIngest.Service.Journaling;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Codecs;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>Registers HTTP ingestion.</summary>
public static class HttpIngestExtensions
{
    /// <summary>
    /// Adds the bounded inlet and the decoders of <c>POST /api/ingest</c>, <c>/write</c> and <c>/api/v2/write</c>, and,
    /// unless <c>ReactiveIngest:Sources:Http:Enabled</c> is false, their two inputs (JSON and line protocol).
    /// </summary>
    public static IHostApplicationBuilder AddHttpInputs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // A value that is not a bool is reported by the options validation at start-up.
        if (!bool.TryParse(builder.Configuration[$"{HttpIngestOptions.SectionName}:{nameof(HttpIngestOptions.Enabled)}"], out var enabled) || enabled)
        {
            builder.Services.AddSingleton<IInput>(sp => Input(sp, HttpCodecs.JsonSource));
            builder.Services.AddSingleton<IInput>(sp => Input(sp, HttpCodecs.LineProtocolSource));
        }

        builder.Services.AddSingleton<IValidateOptions<HttpIngestOptions>, HttpIngestOptionsValidator>();
        builder.Services.AddOptions<HttpIngestOptions>().BindConfiguration(HttpIngestOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<HttpIngestInlet>();
        builder.Services.AddSingleton<AbortedBodies>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(_ => new HttpCodecs(new JsonReadingDecoder(), new LineProtocolDecoder()));
        return builder;
    }

    private static HttpInput Input(IServiceProvider services, string name)
    {
        var codecs = services.GetRequiredService<HttpCodecs>();
        return new HttpInput(name, name == HttpCodecs.JsonSource ? codecs.Json : codecs.LineProtocol, services);
    }
}
