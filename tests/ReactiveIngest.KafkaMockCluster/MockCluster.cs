using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace ReactiveIngest.KafkaMockCluster;

/// <summary>
/// librdkafka's mock cluster, owned by a client configured with <c>test.mock.num.brokers</c>. The
/// brokers live as long as that client; they listen on loopback ports chosen by librdkafka.
/// </summary>
internal sealed class MockCluster : IDisposable
{
    private readonly IProducer<Null, Null> _owner;
    private readonly IntPtr _cluster;

    private MockCluster(IProducer<Null, Null> owner, IntPtr cluster, int brokerCount)
    {
        _owner = owner;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(NativeMethods.rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new InvalidOperationException("librdkafka returned no bootstrap servers for the mock cluster.");
    }

    /// <summary>Comma-separated host:port list of the mock brokers.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers (ids 1..N).</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers.</summary>
    public static MockCluster Start(int brokers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var config = new ProducerConfig
        {
            ClientId = "mock-cluster-owner",
        };
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var owner = new ProducerBuilder<Null, Null>(config)
            .SetLogHandler((_, m) => Console.Error.WriteLine($"[{m.Level}] {m.Facility}: {m.Message}"))
            .Build();

        // Confluent.Kafka has loaded librdkafka by now; bind our P/Invokes to that same image.
        NativeMethods.BindToLoadedLibrary();
        var cluster = NativeMethods.rd_kafka_handle_mock_cluster(RawHandle(owner.Handle));
        if (cluster == IntPtr.Zero)
        {
            owner.Dispose();
            throw new InvalidOperationException("The client has no mock cluster (test.mock.num.brokers not honoured).");
        }

        return new MockCluster(owner, cluster, brokers);
    }

    /// <summary>Creates a topic; fails if it exists.</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor) =>
        Check(NativeMethods.rd_kafka_mock_topic_create(_cluster, name, partitions, replicationFactor), $"create topic {name}");

    /// <summary>Disconnects a broker and refuses new connections until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId) =>
        Check(NativeMethods.rd_kafka_mock_broker_set_down(_cluster, brokerId), $"broker {brokerId} down");

    /// <summary>Lets a downed broker accept connections again.</summary>
    public void SetBrokerUp(int brokerId) =>
        Check(NativeMethods.rd_kafka_mock_broker_set_up(_cluster, brokerId), $"broker {brokerId} up");

    /// <summary>How long the mock group coordinator waits for more members before the first assignment.</summary>
    public void SetGroupInitialRebalanceDelay(int milliseconds) =>
        NativeMethods.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, milliseconds);

    /// <summary>Makes the next <c>codes.Length</c> requests of <paramref name="apiKey"/> fail with these codes.</summary>
    public void PushRequestErrors(short apiKey, int[] codes) =>
        NativeMethods.rd_kafka_mock_push_request_errors_array(_cluster, apiKey, (UIntPtr)codes.Length, codes);

    /// <inheritdoc />
    public void Dispose() => _owner.Dispose();

    private static void Check(int errorCode, string what)
    {
        if (errorCode != 0)
        {
            throw new InvalidOperationException($"{what} failed: {(ErrorCode)errorCode}");
        }
    }

    // Confluent.Kafka does not expose the rd_kafka_t pointer publicly; Handle keeps it in an internal SafeHandle.
    private static IntPtr RawHandle(Handle handle)
    {
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? throw new InvalidOperationException("This Confluent.Kafka version has no Handle.LibrdkafkaHandle.");
        var safeHandle = (SafeHandle)(property.GetValue(handle)
            ?? throw new InvalidOperationException("The client handle is null."));
        return safeHandle.DangerousGetHandle();
    }
}
