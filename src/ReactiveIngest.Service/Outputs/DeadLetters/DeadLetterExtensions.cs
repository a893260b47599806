using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>Wires the dead-letter log and target into the host.</summary>
public static class DeadLetterExtensions
{
    /// <summary>
    /// Reads and validates <c>ReactiveIngest:DeadLetters</c> (failing start-up with the keys to fix) and registers the
    /// in-memory <see cref="DeadLetterLog"/> and the <see cref="DeadLetterOutput"/>.
    /// </summary>
    public static IHostApplicationBuilder AddDeadLetters(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(DeadLetterOptions.SectionName).Get<DeadLetterOptions>() ?? new DeadLetterOptions();
        var result = new DeadLetterOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(DeadLetterOptions.SectionName, typeof(DeadLetterOptions), result.Failures);
        }

        builder.Services.AddSingleton<IValidateOptions<DeadLetterOptions>, DeadLetterOptionsValidator>();
        builder.Services.AddOptions<DeadLetterOptions>().BindConfiguration(DeadLetterOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddSingleton(new DeadLetterLog());
        builder.Services.TryAddSingleton<DeadLetterOutput>();
        builder.Services.AddSingleton<IOutput>(sp => sp.GetRequiredService<DeadLetterOutput>());
        return builder;
    }
}
