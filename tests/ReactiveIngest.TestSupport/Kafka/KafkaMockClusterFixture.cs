using System.Reflection;
using ReactiveIngest.Simulator.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.TestSupport.Kafka;

/// <summary>
/// xunit class fixture around <see cref="KafkaMockClusterProcess"/>: librdkafka's mock cluster with
/// <see cref="BrokerCount"/> real Kafka-protocol brokers on loopback ports, plus fault injection.
/// The process is stopped on dispose.
/// </summary>
public class KafkaMockClusterFixture : IAsyncLifetime, IDisposable
{
    /// <summary>Environment variable that overrides where the mock-cluster program is.</summary>
    public const string PathVariable = "REACTIVEINGEST_KAFKA_MOCK_CLUSTER_DLL";

    private KafkaMockClusterProcess? _process;
    private bool _disposed;

    /// <summary>Creates a fixture for a three-broker cluster (started by <see cref="InitializeAsync"/>).</summary>
    public KafkaMockClusterFixture()
        : this(3)
    {
    }

    /// <summary>Creates a fixture for <paramref name="brokerCount"/> brokers.</summary>
    protected KafkaMockClusterFixture(int brokerCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        BrokerCount = brokerCount;
    }

    /// <summary>Number of brokers; their ids are 1..<see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>
    /// The group coordinator's initial rebalance delay (librdkafka's mock default is seconds; tests want
    /// groups to form quickly). Override to change.
    /// </summary>
    protected virtual int GroupInitialRebalanceDelayMs => 100;

    /// <summary>The bootstrap servers (host:port list) once started.</summary>
    public string BootstrapServers => Process.BootstrapServers;

    /// <summary>Where the mock-cluster program is: <see cref="PathVariable"/>, else the copy built with this project.</summary>
    public static string ProgramPath
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(PathVariable);
            return !string.IsNullOrEmpty(fromEnvironment)
                ? fromEnvironment
                : typeof(KafkaMockClusterFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                      .FirstOrDefault(a => a.Key == "KafkaMockClusterPath")?.Value
                  ?? throw new InvalidOperationException($"No KafkaMockClusterPath metadata; set {PathVariable}.");
        }
    }

    private KafkaMockClusterProcess Process => _process ?? throw new InvalidOperationException("The mock cluster is not started.");

    /// <summary>Starts the child process and waits for its bootstrap line.</summary>
    public async Task InitializeAsync()
    {
        _process = new KafkaMockClusterProcess(ProgramPath, BrokerCount, GroupInitialRebalanceDelayMs);
        await _process.StartAsync();
    }

    /// <summary>Creates a topic with <paramref name="partitions"/> partitions.</summary>
    public Task CreateTopicAsync(string name, int partitions, int? replicationFactor = null) => Process.CreateTopicAsync(name, partitions, replicationFactor);

    /// <summary>Takes broker <paramref name="brokerId"/> (1..N) down: connections drop, new ones are refused.</summary>
    public Task BrokerDownAsync(int brokerId) => Process.BrokerDownAsync(brokerId);

    /// <summary>Brings broker <paramref name="brokerId"/> back up.</summary>
    public Task BrokerUpAsync(int brokerId) => Process.BrokerUpAsync(brokerId);

    /// <summary>Makes the next requests of Kafka API <paramref name="apiKey"/> fail with <paramref name="errorCodes"/>, in order.</summary>
    public Task PushRequestErrorsAsync(short apiKey, params int[] errorCodes) => Process.PushRequestErrorsAsync(apiKey, errorCodes);

    /// <summary>The last lines the child process wrote (stdout and stderr), for failure messages.</summary>
    public string RecentLog() => _process?.RecentLog() ?? "---- Kafka mock cluster not started ----";

    /// <summary>Writes <see cref="RecentLog"/> to a test's output.</summary>
    public void WriteLogTo(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(RecentLog());
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the child process.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        _process?.Dispose();
    }
}
