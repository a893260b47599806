using Microsoft.Extensions.Options;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// The configured Rx transforms, read from <c>ReactiveIngest:Transforms</c> and validated when the host is built:
/// every problem is reported with the configuration key to fix.
/// </summary>
public sealed class TransformCatalog
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:Transforms";

    /// <summary>The most readings a moving average may span.</summary>
    public const int MaxMovingAverageCount = 10_000;

    /// <summary>The largest per-transform device limit.</summary>
    public const int MaxDevicesLimit = 10_000_000;

    private TransformCatalog(IReadOnlyList<ConfiguredTransform> transforms) => Transforms = transforms;

    /// <summary>The transforms in configuration order.</summary>
    public IReadOnlyList<ConfiguredTransform> Transforms { get; }

    /// <summary>Reads and validates the transforms; throws <see cref="OptionsValidationException"/> listing every problem.</summary>
    public static TransformCatalog Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var transforms = new List<ConfiguredTransform>();
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            var key = section.Path;
            TransformDefinition definition;
            try
            {
                definition = section.Get<TransformDefinition>() ?? new TransformDefinition();
            }
            catch (InvalidOperationException e)
            {
                errors.Add($"{key}: {e.Message}");
                continue;
            }

            var type = Validate(key, definition, errors);
            if (type is { } t)
            {
                transforms.Add(new ConfiguredTransform(key, t, definition));
            }
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in transforms)
        {
            if (!outputs.TryAdd(t.Definition.Output, t.Key))
            {
                errors.Add($"{t.Key}:Output '{t.Definition.Output}' is already produced by {outputs[t.Definition.Output]}.");
            }
        }

        foreach (var t in transforms)
        {
            if (outputs.TryGetValue(t.Definition.Metric, out var producer))
            {
                errors.Add($"{t.Key}:Metric '{t.Definition.Metric}' is the output of {producer}; transforms read source readings only, so chaining is not supported.");
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(TransformCatalog), errors);
        }

        return new TransformCatalog(transforms);
    }

    private static TransformType? Validate(string key, TransformDefinition d, List<string> errors)
    {
        var before = errors.Count;
        if (MetricNames.Problem(d.Metric) is { } metricProblem)
        {
            errors.Add($"{key}:Metric {metricProblem}.");
        }

        if (MetricNames.Problem(d.Output) is { } outputProblem)
        {
            errors.Add($"{key}:Output {outputProblem} (the derived metric's name, e.g. '{d.Metric}_ewma').");
        }
        else if (string.Equals(d.Output, d.Metric, StringComparison.Ordinal))
        {
            errors.Add($"{key}:Output must differ from {key}:Metric ('{d.Metric}').");
        }

        for (var i = 0; i < d.Devices.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(d.Devices[i]))
            {
                errors.Add($"{key}:Devices:{i} must not be empty.");
            }
        }

        if (d.MaxDevices is < 1 or > MaxDevicesLimit)
        {
            errors.Add($"{key}:MaxDevices must be between 1 and {MaxDevicesLimit} (is {d.MaxDevices}).");
        }

        var type = Enum.GetValues<TransformType>().Cast<TransformType?>()
            .FirstOrDefault(t => string.Equals(t.ToString(), d.Type?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (type is null)
        {
            errors.Add($"{key}:Type '{d.Type}' is not a transform type; use {string.Join(", ", Enum.GetNames<TransformType>())}.");
            return null;
        }

        Parameter(errors, key, type.Value, "Threshold", d.Threshold.HasValue, type == TransformType.Deadband);
        Parameter(errors, key, type.Value, "Count", d.Count.HasValue, type == TransformType.MovingAverage);
        Parameter(errors, key, type.Value, "TimeConstant", d.TimeConstant.HasValue, type == TransformType.Ewma);
        if (d.Threshold is { } threshold && (!double.IsFinite(threshold) || threshold < 0))
        {
            errors.Add($"{key}:Threshold must be a finite number ≥ 0 (is {threshold}).");
        }

        if (d.Count is { } count && count is < 1 or > MaxMovingAverageCount)
        {
            errors.Add($"{key}:Count must be between 1 and {MaxMovingAverageCount} (is {count}).");
        }

        if (d.TimeConstant is { } tau && tau <= TimeSpan.Zero)
        {
            errors.Add($"{key}:TimeConstant must be a positive duration such as 00:00:30.");
        }

        return errors.Count == before ? type : null;
    }

    private static void Parameter(List<string> errors, string key, TransformType type, string name, bool present, bool required)
    {
        if (required && !present)
        {
            errors.Add($"{key}:{name} is required for {type}.");
        }
        else if (!required && present)
        {
            errors.Add($"{key}:{name} does not apply to {type}.");
        }
    }
}
