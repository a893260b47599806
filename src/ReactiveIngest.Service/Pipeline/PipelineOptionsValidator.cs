using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Streams.Deduplication;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>Checks <see cref="PipelineOptions"/>, reporting every problem with the key to fix.</summary>
public sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string P = PipelineOptions.SectionName;
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Windows.Count; i++)
        {
            var w = options.Windows[i];
            var key = $"{P}:Windows:{i}";
            if (string.IsNullOrWhiteSpace(w.Name) || w.Name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-'))
            {
                errors.Add($"{key}:Name must be a non-empty name of letters, digits, '_' or '-' (is '{w.Name}').");
            }
            else if (!names.Add(w.Name))
            {
                errors.Add($"{key}:Name '{w.Name}' is used by another window.");
            }

            switch (w.Kind)
            {
                case WindowKind.Tumbling:
                    RequirePositive(errors, $"{key}:Size", w.Size);
                    break;
                case WindowKind.Hopping:
                    RequirePositive(errors, $"{key}:Size", w.Size);
                    RequirePositive(errors, $"{key}:Slide", w.Slide);
                    if (w.Size > TimeSpan.Zero && w.Slide > TimeSpan.Zero && w.Slide > w.Size)
                    {
                        errors.Add($"{key}:Slide must not exceed {key}:Size.");
                    }
                    else if (w.Size > TimeSpan.Zero && w.Slide > TimeSpan.Zero && w.Size.Value.Ticks / w.Slide.Value.Ticks > WindowSpec.MaxWindowsPerReading)
                    {
                        errors.Add($"{key}:Size / Slide must not exceed {WindowSpec.MaxWindowsPerReading}.");
                    }

                    break;
                case WindowKind.Session:
                    RequirePositive(errors, $"{key}:Gap", w.Gap);
                    break;
                default:
                    errors.Add($"{key}:Kind must be Tumbling, Hopping or Session.");
                    break;
            }
        }

        if (options.OutOfOrderness < TimeSpan.Zero)
        {
            errors.Add($"{P}:OutOfOrderness must not be negative.");
        }

        if (options.AllowedLateness < TimeSpan.Zero)
        {
            errors.Add($"{P}:AllowedLateness must not be negative.");
        }

        if (options.IdleTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{P}:IdleTimeout must be positive.");
        }

        if (options.MaxOpenWindows < 1)
        {
            errors.Add($"{P}:MaxOpenWindows must be at least 1.");
        }

        if (options.EarlyResultsInterval is { } early && early <= TimeSpan.Zero)
        {
            errors.Add($"{P}:EarlyResultsInterval must be positive when set.");
        }

        if (options.KeyTags.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{P}:KeyTags must not contain empty names.");
        }

        if (string.IsNullOrWhiteSpace(options.AggregateMeasurement))
        {
            errors.Add($"{P}:AggregateMeasurement must not be empty.");
        }
        else if (options.Windows.Count > 1 && !options.AggregateMeasurement.Contains("{window}", StringComparison.Ordinal))
        {
            // Otherwise two definitions write windows of one device, metric and start to the same point, each
            // overwriting the other's result.
            errors.Add($"{P}:AggregateMeasurement must contain '{{window}}' when more than one window is configured (is '{options.AggregateMeasurement}').");
        }

        if (options.MergeBuffer is < 1 or > 100_000)
        {
            errors.Add($"{P}:MergeBuffer must be between 1 and 100000.");
        }

        if (options.DecodeParallelism is < 1 or > 64)
        {
            errors.Add($"{P}:DecodeParallelism must be between 1 and 64.");
        }

        if (options.DeduplicateDepth is < 1 or > DeduplicateSettings.MaxDepth)
        {
            errors.Add($"{P}:DeduplicateDepth must be between 1 and {DeduplicateSettings.MaxDepth}.");
        }

        if (options.DeduplicateMaxKeys is < 1 or > DeduplicateSettings.MaxKeysLimit)
        {
            errors.Add($"{P}:DeduplicateMaxKeys must be between 1 and {DeduplicateSettings.MaxKeysLimit}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void RequirePositive(List<string> errors, string key, TimeSpan? value)
    {
        if (value is not { } v || v <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be a positive duration such as 00:00:10.");
        }
    }
}
