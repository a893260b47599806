using MQTTnet.Protocol;

namespace ReactiveIngest.Mqtt.Settings;

/// <summary>Checks settings and reports every problem, each naming the setting to fix.</summary>
public static class MqttSourceSettingsValidator
{
    /// <summary>All problems with <paramref name="settings"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(MqttSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(settings.Name))
        {
            errors.Add("Name: must not be empty.");
        }

        if (settings.Connection is null)
        {
            errors.Add("Connection: is required.");
        }
        else
        {
            ValidateConnection(settings.Connection, "Connection.", errors);
            if (settings.Connection.Protocol == MqttProtocol.V500 && settings.SessionExpiry <= TimeSpan.Zero)
            {
                errors.Add("SessionExpiry: must be positive with MQTT 5, or the broker forgets unacknowledged messages on disconnect.");
            }
        }

        if (settings.SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            errors.Add($"SessionExpiry: at most {uint.MaxValue} seconds.");
        }

        ValidateSubscriptions(settings, errors);

        if (settings.ConnectionCount is < 1 or > 64)
        {
            errors.Add($"ConnectionCount: must be between 1 and 64 (was {settings.ConnectionCount}).");
        }
        else if (settings.ConnectionCount > 1 && settings.SharedSubscriptionGroup is null
                 && settings.Subscriptions?.All(s => s.Filter?.StartsWith("$share/", StringComparison.Ordinal) == true) != true)
        {
            errors.Add("SharedSubscriptionGroup: required when ConnectionCount > 1 (otherwise every connection would receive every message).");
        }

        if (settings.SharedSubscriptionGroup is { } group
            && (group.Length == 0 || group.IndexOfAny(['/', '+', '#']) >= 0))
        {
            errors.Add("SharedSubscriptionGroup: must be non-empty and contain no '/', '+' or '#'.");
        }

        if (settings.MaxInFlight is < 1 or > ushort.MaxValue)
        {
            errors.Add($"MaxInFlight: must be between 1 and {ushort.MaxValue} (was {settings.MaxInFlight}).");
        }

        if (settings.ReceiveMaximum is { } receiveMaximum
            && (receiveMaximum < 1 || receiveMaximum > ushort.MaxValue || receiveMaximum > settings.MaxInFlight))
        {
            errors.Add($"ReceiveMaximum: must be between 1 and MaxInFlight ({settings.MaxInFlight}) (was {receiveMaximum}).");
        }

        if (settings.BufferSize is < 1 or > 1_000_000)
        {
            errors.Add($"BufferSize: must be between 1 and 1000000 (was {settings.BufferSize}).");
        }

        return errors;
    }

    /// <summary>Throws <see cref="MqttSettingsException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(MqttSourceSettings settings)
    {
        var errors = Validate(settings);
        if (errors.Count > 0)
        {
            throw new MqttSettingsException(errors);
        }
    }

    /// <summary>Adds the problems of connection settings to <paramref name="errors"/>, prefixing setting names.</summary>
    public static void ValidateConnection(MqttConnectionSettings connection, string prefix, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(connection.Host))
        {
            errors.Add($"{prefix}Host: must not be empty.");
        }

        if (connection.Port is < 1 or > 65535)
        {
            errors.Add($"{prefix}Port: must be between 1 and 65535 (was {connection.Port}).");
        }

        if (string.IsNullOrWhiteSpace(connection.ClientId))
        {
            errors.Add($"{prefix}ClientId: must be set to a stable id; the broker keeps the persistent session under it.");
        }
        else if (connection.ClientId.Length > 200)
        {
            errors.Add($"{prefix}ClientId: at most 200 characters.");
        }

        if (!Enum.IsDefined(connection.Protocol))
        {
            errors.Add($"{prefix}Protocol: must be V311 or V500 (was {connection.Protocol}).");
        }

        if (connection.Password is not null && connection.PasswordFile is not null)
        {
            errors.Add($"{prefix}Password: set either Password or PasswordFile, not both.");
        }

        if ((connection.Password is not null || connection.PasswordFile is not null) && string.IsNullOrEmpty(connection.Username))
        {
            errors.Add($"{prefix}Username: required when a password is configured.");
        }

        if (connection.PasswordFile is not null && !File.Exists(connection.PasswordFile))
        {
            errors.Add($"{prefix}PasswordFile: file not found ({connection.PasswordFile}).");
        }

        if (connection.KeepAlive < TimeSpan.Zero || connection.KeepAlive.TotalSeconds > ushort.MaxValue)
        {
            errors.Add($"{prefix}KeepAlive: must be between 0 and {ushort.MaxValue} seconds.");
        }

        if (connection.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}ConnectTimeout: must be positive.");
        }

        if (connection.ReconnectMinDelay <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}ReconnectMinDelay: must be positive.");
        }

        if (connection.ReconnectMaxDelay < connection.ReconnectMinDelay)
        {
            errors.Add($"{prefix}ReconnectMaxDelay: must be at least ReconnectMinDelay.");
        }

        if (double.IsNaN(connection.ReconnectJitter) || connection.ReconnectJitter is < 0 or > 1)
        {
            errors.Add($"{prefix}ReconnectJitter: must be between 0 and 1.");
        }

        if (connection.Tls is { } tls)
        {
            CheckFile(tls.CaFile, $"{prefix}Tls.CaFile", errors);
            CheckFile(tls.ClientCertificateFile, $"{prefix}Tls.ClientCertificateFile", errors);
            CheckFile(tls.ClientKeyFile, $"{prefix}Tls.ClientKeyFile", errors);
            if (tls.ClientKeyFile is not null && tls.ClientCertificateFile is null)
            {
                errors.Add($"{prefix}Tls.ClientCertificateFile: required when Tls.ClientKeyFile is set.");
            }
        }
    }

    private static void ValidateSubscriptions(MqttSourceSettings settings, List<string> errors)
    {
        if (settings.Subscriptions is null || settings.Subscriptions.Count == 0)
        {
            errors.Add("Subscriptions: at least one topic filter is required.");
            return;
        }

        for (var i = 0; i < settings.Subscriptions.Count; i++)
        {
            var subscription = settings.Subscriptions[i];
            var name = $"Subscriptions[{i}]";
            if (subscription is null || string.IsNullOrEmpty(subscription.Filter))
            {
                errors.Add($"{name}.Filter: must not be empty.");
                continue;
            }

            if (!IsValidFilter(subscription.Filter))
            {
                errors.Add($"{name}.Filter: '{subscription.Filter}' is not a valid topic filter ('#' only last, wildcards fill a whole level).");
            }

            if (subscription.Qos is not (MqttQualityOfServiceLevel.AtMostOnce or MqttQualityOfServiceLevel.AtLeastOnce or MqttQualityOfServiceLevel.ExactlyOnce))
            {
                errors.Add($"{name}.Qos: must be 0, 1 or 2.");
            }
        }
    }

    private static bool IsValidFilter(string filter)
    {
        var levels = filter.Split('/');
        var start = 0;
        if (levels[0] == "$share")
        {
            // $share/{group}/{filter}
            if (levels.Length < 3 || levels[1].Length == 0 || levels[1].IndexOfAny(['+', '#']) >= 0)
            {
                return false;
            }

            start = 2;
        }

        for (var i = start; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
            {
                return false;
            }

            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckFile(string? path, string name, List<string> errors)
    {
        if (path is not null && !File.Exists(path))
        {
            errors.Add($"{name}: file not found ({path}).");
        }
    }
}
