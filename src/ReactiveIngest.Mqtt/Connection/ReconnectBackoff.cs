using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Mqtt.Connection;

/// <summary>Exponential backoff with jitter: min · 2^attempt, capped at max, spread by ±jitter.</summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, double jitter)
{
    public ReconnectBackoff(MqttConnectionSettings settings)
        : this(settings.ReconnectMinDelay, settings.ReconnectMaxDelay, settings.ReconnectJitter)
    {
    }

    /// <summary>The delay before reconnect attempt <paramref name="attempt"/> (0-based).</summary>
    public TimeSpan Delay(int attempt)
    {
        var exponent = Math.Min(Math.Max(attempt, 0), 30);
        var baseMs = Math.Min(min.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        var spread = 1 + (jitter * ((Random.Shared.NextDouble() * 2) - 1));
        return TimeSpan.FromMilliseconds(Math.Max(baseMs * spread, 1));
    }
}
