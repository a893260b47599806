using ReactiveIngest.TestSupport.Kafka;
using Xunit;

namespace ReactiveIngest.Kafka.Tests.Support;

/// <summary>All specs that need brokers share one mock cluster and run one after another (2-core machine).</summary>
[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaMockClusterFixture>
{
    public const string Name = "Kafka mock cluster";
}
