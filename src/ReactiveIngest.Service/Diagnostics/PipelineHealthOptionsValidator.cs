namespace ReactiveIngest.Service.Diagnostics;

/// <summary>Checks <see cref="PipelineHealthOptions"/>, naming the key to fix in every error.</summary>
public static class PipelineHealthOptionsValidator
{
    /// <summary>The shortest interval accepted (a snapshot is a few points; more often is noise).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest interval accepted.</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    /// <summary>Every problem, each naming its key; empty when the options are valid.</summary>
    public static IReadOnlyList<string> Validate(PipelineHealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = PipelineHealthOptions.SectionName;
        var errors = new List<string>();
        if (options.HealthInterval != TimeSpan.Zero && (options.HealthInterval < MinInterval || options.HealthInterval > MaxInterval))
        {
            errors.Add($"{S}:HealthInterval must be 00:00:00 (off) or between {MinInterval} and {MaxInterval} (is {options.HealthInterval}).");
        }

        if (string.IsNullOrWhiteSpace(options.HealthMeasurement) || options.HealthMeasurement.Any(char.IsControl) || options.HealthMeasurement.StartsWith('_'))
        {
            errors.Add($"{S}:HealthMeasurement must be a measurement name without control characters, not starting with '_' (is '{options.HealthMeasurement}').");
        }

        return errors;
    }
}
