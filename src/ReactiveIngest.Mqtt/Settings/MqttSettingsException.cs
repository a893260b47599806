namespace ReactiveIngest.Mqtt.Settings;

/// <summary>Invalid MQTT settings; <see cref="Errors"/> names every bad setting.</summary>
public sealed class MqttSettingsException : Exception
{
    /// <summary>Creates the exception from the validator's errors.</summary>
    public MqttSettingsException(IReadOnlyList<string> errors)
        : base("Invalid MQTT settings: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a message.</summary>
    public MqttSettingsException(string message)
        : base(message)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MqttSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates an empty exception (for serializers).</summary>
    public MqttSettingsException()
        : this("Invalid MQTT settings.")
    {
    }

    /// <summary>One message per problem, each naming the setting (e.g. <c>Connection.Port</c>).</summary>
    public IReadOnlyList<string> Errors { get; }
}
