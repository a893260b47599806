using ReactiveIngest.Kafka.Consumer;

namespace ReactiveIngest.Kafka.Tests.Support;

/// <summary>Consumer settings for tests: fast commits and quick group membership changes.</summary>
internal static class KafkaTestSettings
{
    public static KafkaConsumerSettings Consumer(string bootstrapServers, string groupId, string topic) => new()
    {
        BootstrapServers = bootstrapServers,
        GroupId = groupId,
        Topics = [topic],
        CommitBatchSize = 100,
        CommitInterval = TimeSpan.FromMilliseconds(200),
        Properties = new Dictionary<string, string>
        {
            ["session.timeout.ms"] = "6000",
            ["heartbeat.interval.ms"] = "500",
            ["topic.metadata.refresh.interval.ms"] = "2000",
        },
    };
}
