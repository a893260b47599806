using System.Globalization;
using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Producer;

/// <summary>
/// Settings of <see cref="KafkaFlow"/> and <see cref="KafkaSink"/>. The producer is always idempotent
/// (acks=all, no duplicates or reordering on retry); properties that would weaken that are refused.
/// </summary>
public sealed record KafkaProducerSettings
{
    /// <summary>Comma-separated host:port list.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>Any librdkafka producer property (SASL, TLS, linger.ms, compression…), passed through.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Records handed to librdkafka whose delivery report has not come back. At the limit the stage
    /// stops pulling (backpressure); it never drops.
    /// </summary>
    public int MaxInFlight { get; init; } = 10_000;

    /// <summary>How long disposing the stage waits for outstanding deliveries.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every problem with these settings, each naming the setting to fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            errors.Add($"{nameof(BootstrapServers)} is required.");
        }

        if (Properties.ContainsKey("bootstrap.servers"))
        {
            errors.Add($"{nameof(Properties)}[bootstrap.servers]: use {nameof(BootstrapServers)}.");
        }

        if (Properties.TryGetValue("enable.idempotence", out var idempotence) && !string.Equals(idempotence, "true", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{nameof(Properties)}[enable.idempotence] must stay true.");
        }

        if (Properties.TryGetValue("acks", out var acks) && acks is not ("all" or "-1"))
        {
            errors.Add($"{nameof(Properties)}[acks] must be all (the idempotent producer needs it).");
        }

        if (MaxInFlight <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(MaxInFlight)} must be positive (was {MaxInFlight})."));
        }

        if (Properties.TryGetValue("queue.buffering.max.messages", out var queueSize)
            && int.TryParse(queueSize, NumberStyles.Integer, CultureInfo.InvariantCulture, out var queueLimit)
            && MaxInFlight > queueLimit)
        {
            errors.Add($"{nameof(MaxInFlight)} may not exceed {nameof(Properties)}[queue.buffering.max.messages] ({queueLimit}).");
        }

        if (FlushTimeout < TimeSpan.Zero)
        {
            errors.Add($"{nameof(FlushTimeout)} may not be negative.");
        }

        return errors;
    }

    internal ProducerConfig ToProducerConfig() =>
        new(Properties.ToDictionary(p => p.Key, p => p.Value))
        {
            BootstrapServers = BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
        };

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Kafka producer settings: " + string.Join(" ", errors));
        }
    }
}
