using System.Globalization;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using ReactiveIngest.Kafka.Producer;
using ReactiveIngest.Mqtt.Publishing;
using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// The alert targets and rules, read from <c>ReactiveIngest:Alerts</c> (<c>Targets:N</c>, <c>Rules:N</c>) and
/// validated when the host is built: every problem is reported with the configuration key to fix.
/// </summary>
public sealed class AlertCatalog
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:Alerts";

    /// <summary>The largest <see cref="AlertRuleDefinition.Repeats"/>.</summary>
    public const int MaxRepeats = 1_000_000;

    private const int DefaultMqttMaxInFlight = 1;
    private const int DefaultKafkaMaxInFlight = 1000;

    private AlertCatalog(IReadOnlyList<ConfiguredAlertTarget> targets, IReadOnlyList<ConfiguredAlertRule> rules)
    {
        Targets = targets;
        Rules = rules;
    }

    /// <summary>The targets in configuration order.</summary>
    public IReadOnlyList<ConfiguredAlertTarget> Targets { get; }

    /// <summary>The rules in configuration order.</summary>
    public IReadOnlyList<ConfiguredAlertRule> Rules { get; }

    /// <summary>Reads and validates targets and rules; throws <see cref="OptionsValidationException"/> listing every problem.</summary>
    public static AlertCatalog Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var targets = new List<ConfiguredAlertTarget>();
        var targetNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection($"{SectionName}:Targets").GetChildren())
        {
            // Bound onto an instance whose connection already carries the default client id, so an absent one keeps it.
            var definition = new AlertTargetDefinition { Connection = new MqttConnectionSettings { ClientId = $"reactiveingest-alerts-{section["Name"]}" } };
            try
            {
                section.Bind(definition);
            }
            catch (InvalidOperationException e)
            {
                errors.Add($"{section.Path}: {e.Message}");
                continue;
            }

            var key = section.Path;
            if (NameProblem(definition.Name) is { } nameProblem)
            {
                errors.Add($"{key}:Name {nameProblem}.");
            }
            else if (!targetNames.Add(definition.Name))
            {
                errors.Add($"{key}:Name '{definition.Name}' is used by another target.");
            }

            if (Target(key, definition, errors) is { } target)
            {
                targets.Add(target);
            }
        }

        var rules = new List<ConfiguredAlertRule>();
        var ruleNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection($"{SectionName}:Rules").GetChildren())
        {
            AlertRuleDefinition definition;
            try
            {
                definition = section.Get<AlertRuleDefinition>() ?? new AlertRuleDefinition();
            }
            catch (InvalidOperationException e)
            {
                errors.Add($"{section.Path}: {e.Message}");
                continue;
            }

            var key = section.Path;
            if (NameProblem(definition.Name) is { } nameProblem)
            {
                errors.Add($"{key}:Name {nameProblem}.");
            }
            else if (!ruleNames.Add(definition.Name))
            {
                errors.Add($"{key}:Name '{definition.Name}' is used by another rule.");
            }

            if (Rule(key, definition, targets, targetNames, errors) is { } rule)
            {
                rules.Add(rule);
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(AlertCatalog), errors);
        }

        return new AlertCatalog(targets, rules);
    }

    private static ConfiguredAlertTarget? Target(string key, AlertTargetDefinition d, List<string> errors)
    {
        var before = errors.Count;
        var type = Parse<AlertTargetType>(d.Type);
        if (type is null)
        {
            errors.Add($"{key}:Type '{d.Type}' is not a target type; use Mqtt or Kafka.");
            return null;
        }

        if (AlertTopics.Problem(type.Value, d.Topic) is { } topicProblem)
        {
            errors.Add($"{key}:Topic {topicProblem}.");
        }

        var maxInFlight = d.MaxInFlight ?? (type == AlertTargetType.Mqtt ? DefaultMqttMaxInFlight : DefaultKafkaMaxInFlight);
        if (type == AlertTargetType.Mqtt)
        {
            var connection = d.Connection;
            MqttSourceSettingsValidator.ValidateConnection(connection, $"{key}:Connection:", errors);
            if (d.Qos is not (1 or 2))
            {
                errors.Add($"{key}:Qos must be 1 or 2 (is {d.Qos}); QoS 0 has no acknowledgement, so alerts could be lost.");
            }

            if (maxInFlight is < 1 or > ushort.MaxValue)
            {
                errors.Add($"{key}:MaxInFlight must be between 1 and {ushort.MaxValue} (is {maxInFlight}).");
            }

            return errors.Count > before ? null : new ConfiguredAlertTarget(key, d.Name, type.Value, d.Topic, new MqttPublisherSettings
            {
                Connection = connection,
                Qos = (MqttQualityOfServiceLevel)d.Qos,
                MaxInFlight = maxInFlight,
            }, null);
        }

        if (string.IsNullOrWhiteSpace(d.BootstrapServers))
        {
            errors.Add($"{key}:BootstrapServers is required for a Kafka target.");
            return null;
        }

        var kafka = new KafkaProducerSettings
        {
            BootstrapServers = d.BootstrapServers,
            Properties = d.Properties,
            MaxInFlight = maxInFlight,
        };
        errors.AddRange(kafka.Validate().Select(e => $"{key}:{e}"));
        return errors.Count > before ? null : new ConfiguredAlertTarget(key, d.Name, type.Value, d.Topic, null, kafka);
    }

    private static ConfiguredAlertRule? Rule(string key, AlertRuleDefinition d, List<ConfiguredAlertTarget> targets, HashSet<string> targetNames, List<string> errors)
    {
        var before = errors.Count;
        if (MetricNames.Problem(d.Metric) is { } metricProblem)
        {
            errors.Add($"{key}:Metric {metricProblem}.");
        }

        for (var i = 0; i < d.Devices.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(d.Devices[i]))
            {
                errors.Add($"{key}:Devices:{i} must not be empty.");
            }
        }

        if (d.MaxDevices is < 1 or > TransformCatalog.MaxDevicesLimit)
        {
            errors.Add($"{key}:MaxDevices must be between 1 and {TransformCatalog.MaxDevicesLimit} (is {d.MaxDevices}).");
        }

        var type = Parse<AlertRuleType>(d.Type);
        switch (type)
        {
            case AlertRuleType.Threshold:
                ValidateThreshold(key, d, errors);
                break;
            case AlertRuleType.StuckSensor:
                if (d.Repeats is not { } repeats)
                {
                    errors.Add($"{key}:Repeats is required for StuckSensor.");
                }
                else if (repeats is < 2 or > MaxRepeats)
                {
                    errors.Add($"{key}:Repeats must be between 2 and {MaxRepeats} (is {repeats}).");
                }

                foreach (var (name, present) in new[] { ("High", d.High.HasValue), ("Low", d.Low.HasValue), ("Clear", d.Clear.HasValue) })
                {
                    if (present)
                    {
                        errors.Add($"{key}:{name} does not apply to StuckSensor.");
                    }
                }

                break;
            default:
                errors.Add($"{key}:Type '{d.Type}' is not a rule type; use Threshold or StuckSensor.");
                break;
        }

        var target = -1;
        if (string.IsNullOrEmpty(d.Target))
        {
            if (targets.Count == 1)
            {
                target = 0;
            }
            else if (targetNames.Count == 0)
            {
                errors.Add($"{key}:Target: no alert target is configured; add {SectionName}:Targets:0 (Type Mqtt or Kafka, Topic, connection).");
            }
            else
            {
                errors.Add($"{key}:Target is required when several targets are configured ({string.Join(", ", targetNames)}).");
            }
        }
        else
        {
            target = targets.FindIndex(t => string.Equals(t.Name, d.Target, StringComparison.Ordinal));
            if (target < 0 && !targetNames.Contains(d.Target))
            {
                errors.Add($"{key}:Target '{d.Target}' is not a configured target ({(targetNames.Count == 0 ? "none is configured" : string.Join(", ", targetNames))}).");
            }
        }

        if (target >= 0 && d.Topic is not null && AlertTopics.Problem(targets[target].Type, d.Topic) is { } topicProblem)
        {
            errors.Add($"{key}:Topic {topicProblem}.");
        }

        if (errors.Count > before || target < 0 || type is null)
        {
            return null;
        }

        return new ConfiguredAlertRule(key, type.Value, d, target, d.Topic ?? targets[target].Topic);
    }

    private static void ValidateThreshold(string key, AlertRuleDefinition d, List<string> errors)
    {
        if (d.Repeats.HasValue)
        {
            errors.Add($"{key}:Repeats does not apply to Threshold.");
        }

        if (d.High.HasValue == d.Low.HasValue)
        {
            errors.Add($"{key}:High or {key}:Low is required for Threshold (exactly one of them).");
        }

        if (d.Clear is not { } clear)
        {
            errors.Add($"{key}:Clear is required for Threshold (the level at which the alert clears).");
            return;
        }

        foreach (var (name, value) in new[] { ("High", d.High), ("Low", d.Low), ("Clear", d.Clear) })
        {
            if (value is { } v && !double.IsFinite(v))
            {
                errors.Add($"{key}:{name} must be a finite number.");
            }
        }

        if (d.High is { } high && d.Low is null && clear > high)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}:Clear ({clear}) must not exceed {key}:High ({high})."));
        }

        if (d.Low is { } low && d.High is null && clear < low)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}:Clear ({clear}) must not be below {key}:Low ({low})."));
        }
    }

    private static T? Parse<T>(string? value)
        where T : struct, Enum =>
        Enum.GetValues<T>().Cast<T?>().FirstOrDefault(t => string.Equals(t.ToString(), value?.Trim(), StringComparison.OrdinalIgnoreCase));

    private static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-' and not '.')
            ? $"must be 1 to 100 letters, digits, '_', '-' or '.' (is '{name}')"
            : null;
}
