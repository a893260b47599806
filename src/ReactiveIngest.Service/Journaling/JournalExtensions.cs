using Microsoft.Extensions.Options;

namespace ReactiveIngest.Service.Journaling;

/// <summary>Registers the source journals.</summary>
public static class JournalExtensions
{
    /// <summary>Binds and validates <see cref="JournalOptions"/> (at start) and registers <see cref="SourceJournals"/> and its metrics.</summary>
    public static IHostApplicationBuilder AddSourceJournals(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<JournalOptions>, JournalOptionsValidator>();
        builder.Services.AddOptions<JournalOptions>().BindConfiguration(JournalOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<SourceJournals>();
        builder.Services.AddSingleton<JournalMetrics>();
        return builder;
    }
}
