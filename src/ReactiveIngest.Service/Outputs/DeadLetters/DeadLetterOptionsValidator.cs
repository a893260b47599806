using System.Globalization;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;

namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>Checks <see cref="DeadLetterOptions"/>, reporting every problem with the key to fix.</summary>
public sealed class DeadLetterOptionsValidator : IValidateOptions<DeadLetterOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DeadLetterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = DeadLetterOptions.SectionName;
        var errors = new List<string>();
        if (options.MaxInFlight is < 1 or > ushort.MaxValue)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{S}:MaxInFlight must be between 1 and {ushort.MaxValue} (is {options.MaxInFlight})."));
        }

        switch (options.Target)
        {
            case DeadLetterTargetKind.Memory:
                break;
            case DeadLetterTargetKind.File:
                ValidateFile(options.File, $"{S}:File", errors);
                break;
            case DeadLetterTargetKind.Kafka:
                ValidateKafka(options, $"{S}:Kafka", errors);
                break;
            case DeadLetterTargetKind.Mqtt:
                ValidateMqtt(options, $"{S}:Mqtt", errors);
                break;
            default:
                errors.Add($"{S}:Target must be Memory, File, Kafka or Mqtt.");
                break;
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateFile(FileDeadLetterOptions file, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(file.Path))
        {
            errors.Add($"{key}:Path is required when the target is File (e.g. /var/lib/reactiveingest/deadletters.jsonl).");
        }
        else if (file.Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0 || file.Path.EndsWith('/') || file.Path.EndsWith('\\'))
        {
            errors.Add($"{key}:Path must be a file path (is '{file.Path}').");
        }

        if (file.MaxFileBytes < 1024)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}:MaxFileBytes must be at least 1024 (is {file.MaxFileBytes})."));
        }

        if (file.MaxFiles is < 1 or > 1000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}:MaxFiles must be between 1 and 1000 (is {file.MaxFiles})."));
        }
    }

    private static void ValidateKafka(DeadLetterOptions options, string key, List<string> errors)
    {
        var topic = options.Kafka.Topic;
        if (string.IsNullOrWhiteSpace(topic))
        {
            errors.Add($"{key}:Topic is required when the target is Kafka.");
        }
        else if (topic.Length > 249 || topic.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_' and not '-'))
        {
            errors.Add($"{key}:Topic must be at most 249 letters, digits, '.', '_' or '-' (is '{topic}').");
        }

        if (string.IsNullOrWhiteSpace(options.Kafka.BootstrapServers))
        {
            errors.Add($"{key}:BootstrapServers is required when the target is Kafka.");
            return;
        }

        // MaxInFlight comes from the section root and is checked above.
        errors.AddRange(DeadLetterTargets.KafkaSettings(options).Validate()
            .Where(e => !e.StartsWith("MaxInFlight", StringComparison.Ordinal))
            .Select(e => $"{key}:{e}"));
    }

    private static void ValidateMqtt(DeadLetterOptions options, string key, List<string> errors)
    {
        var topic = options.Mqtt.Topic;
        if (string.IsNullOrWhiteSpace(topic))
        {
            errors.Add($"{key}:Topic is required when the target is Mqtt.");
        }
        else if (topic.Contains('+', StringComparison.Ordinal) || topic.Contains('#', StringComparison.Ordinal) || topic.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add($"{key}:Topic must be a topic name without wildcards (is '{topic}').");
        }

        if (options.Mqtt.Qos is not (MqttQualityOfServiceLevel.AtLeastOnce or MqttQualityOfServiceLevel.ExactlyOnce))
        {
            errors.Add($"{key}:Qos must be 1 or 2: a dead letter counts as durable only when the broker acknowledged it.");
        }

        // QoS and MaxInFlight are checked above; the connection errors are named "Connection.X".
        errors.AddRange(DeadLetterTargets.MqttSettings(options, 1).Validate()
            .Where(e => e.StartsWith("Connection.", StringComparison.Ordinal))
            .Select(e => $"{key}:Connection:{e["Connection.".Length..]}"));
    }
}
