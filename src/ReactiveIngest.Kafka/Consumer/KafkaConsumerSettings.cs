using System.Globalization;
using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// Settings of <see cref="KafkaSource.Committable"/>. Offsets are committed by the source (only for
/// released handles), so the librdkafka keys that control committing are managed here and may not be
/// passed through <see cref="Properties"/>.
/// </summary>
public sealed record KafkaConsumerSettings
{
    private static readonly string[] ManagedKeys =
        ["bootstrap.servers", "group.id", "enable.auto.commit", "enable.auto.offset.store"];

    /// <summary>Comma-separated host:port list.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>The consumer group.</summary>
    public required string GroupId { get; init; }

    /// <summary>Topics to subscribe to (or use <see cref="TopicPattern"/>).</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>A regular expression of topics to subscribe to; a leading <c>^</c> is added when missing.</summary>
    public string? TopicPattern { get; init; }

    /// <summary>Where to start in partitions without a committed offset.</summary>
    public KafkaStartPosition StartPosition { get; init; } = KafkaStartPosition.Earliest;

    /// <summary>Required when <see cref="StartPosition"/> is <see cref="KafkaStartPosition.Timestamp"/>.</summary>
    public DateTimeOffset? StartTimestamp { get; init; }

    /// <summary>
    /// librdkafka properties the source sets differently from librdkafka's defaults, unless <see cref="Properties"/>
    /// sets them. <c>fetch.queue.backoff.ms</c>: librdkafka stops fetching a partition for this long whenever its
    /// prefetch queue is full (<c>queued.min.messages</c>); its default of 1000 ms starves a consumer that
    /// drains the queue in a fraction of that, so the source retries after 20 ms (a local check, no request).
    /// <c>dotnet.consumer.consume.result.fields</c> (a Confluent.Kafka client key, not passed to librdkafka): the source reads a
    /// record's topic, timestamp, key and value, never its headers, so the client skips parsing them. A source
    /// subscribed to exactly one topic (no pattern) knows every record's topic and leaves it out too
    /// (<c>timestamp</c> only), which saves decoding the topic name into a new string per record.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LibrdkafkaDefaults { get; } = new Dictionary<string, string>
    {
        ["fetch.queue.backoff.ms"] = "20",
        [ResultFieldsKey] = "timestamp,topic",
    };

    private const string ResultFieldsKey = "dotnet.consumer.consume.result.fields";

    /// <summary>Any librdkafka property (SASL, TLS, fetch sizes…), passed through unchanged.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>The source name in <see cref="Core.Model.RawMessage.Source"/>; defaults to <c>kafka:&lt;group&gt;</c>.</summary>
    public string? SourceName { get; init; }

    /// <summary>
    /// Records of one partition that may wait in the source (not yet emitted). At this many the consumer
    /// thread stops taking records, and pauses the partition after <see cref="PauseAfter"/>.
    /// </summary>
    public int PartitionHighWatermark { get; init; } = 1000;

    /// <summary>A paused partition is resumed when its waiting records fall to this many.</summary>
    public int PartitionLowWatermark { get; init; } = 250;

    /// <summary>
    /// A partition above the high watermark first only stops the consumer thread from taking records
    /// (librdkafka keeps its prefetch, so a momentarily slower downstream costs nothing); if it is still
    /// above the low watermark after this long it is paused in librdkafka and the others flow again.
    /// </summary>
    public TimeSpan PauseAfter { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Emitted records of one partition whose handles are not yet released and committed. At the limit
    /// the source stops emitting from that partition (which then pauses by the watermarks).
    /// </summary>
    public int MaxUnreleasedPerPartition { get; init; } = 10_000;

    /// <summary>Commit after this many handles were released…</summary>
    /// <remarks>
    /// Commits are at least 50 ms apart (or <see cref="CommitInterval"/> when shorter), because each blocks the
    /// consumer thread for a round trip to the coordinator; at high rates they follow that spacing instead.
    /// </remarks>
    public int CommitBatchSize { get; init; } = 1000;

    /// <summary>…or after this much time, whichever comes first.</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many records are handed from the consumer thread to the stage at once.</summary>
    public int MaxHandoffBatch { get; init; } = 500;

    /// <summary>How long one poll of the consumer thread waits for records.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>On revoke and on stop: how long to wait for emitted handles to be released before the final commit.</summary>
    public TimeSpan RevokeGracePeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Receives librdkafka's log lines; null discards them (errors still reach the statistics).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The effective source name.</summary>
    public string EffectiveSourceName => SourceName ?? $"kafka:{GroupId}";

    /// <summary>Every problem with these settings, each naming the setting to fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            errors.Add($"{nameof(BootstrapServers)} is required.");
        }

        if (string.IsNullOrWhiteSpace(GroupId))
        {
            errors.Add($"{nameof(GroupId)} is required.");
        }

        var hasTopics = Topics is { Count: > 0 };
        var hasPattern = !string.IsNullOrWhiteSpace(TopicPattern);
        if (hasTopics == hasPattern)
        {
            errors.Add($"Set exactly one of {nameof(Topics)} and {nameof(TopicPattern)}.");
        }

        if (hasTopics && Topics.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{nameof(Topics)} contains an empty topic name.");
        }

        if (Properties.TryGetValue(ResultFieldsKey, out var fields) && SingleTopic is null
            && !fields.Split(',').Any(f => f.Trim().Equals("topic", StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"Properties[{ResultFieldsKey}] must include 'topic' unless {nameof(Topics)} names exactly one topic (the source maps records to partitions by topic).");
        }

        if (StartPosition == KafkaStartPosition.Timestamp && StartTimestamp is null)
        {
            errors.Add($"{nameof(StartTimestamp)} is required when {nameof(StartPosition)} is {nameof(KafkaStartPosition.Timestamp)}.");
        }

        foreach (var key in ManagedKeys.Where(k => Properties.ContainsKey(k)))
        {
            errors.Add($"{nameof(Properties)}[{key}] is managed by the source and may not be set.");
        }

        if (PartitionLowWatermark < 0 || PartitionHighWatermark <= PartitionLowWatermark)
        {
            errors.Add($"Need 0 <= {nameof(PartitionLowWatermark)} < {nameof(PartitionHighWatermark)}.");
        }

        CheckPositive(errors, MaxUnreleasedPerPartition, nameof(MaxUnreleasedPerPartition));
        CheckPositive(errors, CommitBatchSize, nameof(CommitBatchSize));
        CheckPositive(errors, MaxHandoffBatch, nameof(MaxHandoffBatch));
        if (CommitInterval <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(CommitInterval)} must be positive.");
        }

        if (PollTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(PollTimeout)} must be positive.");
        }

        if (PauseAfter < TimeSpan.Zero)
        {
            errors.Add($"{nameof(PauseAfter)} may not be negative.");
        }

        if (RevokeGracePeriod < TimeSpan.Zero)
        {
            errors.Add($"{nameof(RevokeGracePeriod)} may not be negative.");
        }

        return errors;
    }

    /// <summary>The librdkafka configuration: pass-through properties plus the managed keys.</summary>
    internal ConsumerConfig ToConsumerConfig()
    {
        var config = new ConsumerConfig(Properties.ToDictionary(p => p.Key, p => p.Value))
        {
            BootstrapServers = BootstrapServers,
            GroupId = GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        };
        foreach (var (key, value) in LibrdkafkaDefaults)
        {
            if (!Properties.ContainsKey(key))
            {
                config.Set(key, value);
            }
        }

        if (SingleTopic is not null && !Properties.ContainsKey(ResultFieldsKey))
        {
            config.Set(ResultFieldsKey, "timestamp"); // the topic is known from the subscription
        }

        if (!Properties.ContainsKey("auto.offset.reset"))
        {
            config.AutoOffsetReset = StartPosition == KafkaStartPosition.Latest ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest;
        }

        return config;
    }

    /// <summary>The one topic subscribed to, when <see cref="Topics"/> names exactly one (and no pattern is set); else null.</summary>
    /// A name starting with ^ is a regular expression to librdkafka, so it never counts as one topic.
    internal string? SingleTopic =>
        TopicPattern is null && Topics is { Count: 1 } && !string.IsNullOrEmpty(Topics[0]) && !Topics[0].StartsWith('^') ? Topics[0] : null;

    /// <summary>The subscription pattern in librdkafka's form (leading ^).</summary>
    internal string? LibrdkafkaPattern =>
        TopicPattern is null ? null : TopicPattern.StartsWith('^') ? TopicPattern : "^" + TopicPattern;

    private static void CheckPositive(List<string> errors, int value, string name)
    {
        if (value <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be positive (was {value})."));
        }
    }
}
