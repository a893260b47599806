using System.Runtime.InteropServices;

namespace ReactiveIngest.KafkaMockCluster;

/// <summary>
/// The librdkafka mock-cluster API (rdkafka_mock.h). The library name is resolved to the librdkafka
/// image Confluent.Kafka already loaded, so both talk to the same cluster object.
/// </summary>
internal static partial class NativeMethods
{
    private const string Library = "librdkafka";
    private static IntPtr _loaded;

    /// <summary>Points our imports at the librdkafka already mapped into this process.</summary>
    public static void BindToLoadedLibrary()
    {
        var path = FindLoadedLibrdkafka();
        if (path is not null)
        {
            _loaded = NativeLibrary.Load(path);
        }

        NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, (name, _, _) =>
            name == Library && _loaded != IntPtr.Zero ? _loaded : IntPtr.Zero);
    }

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_down(IntPtr mcluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_up(IntPtr mcluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_push_request_errors_array(IntPtr mcluster, short apiKey, UIntPtr count, int[] errors);

    // On Linux the loaded image is listed in /proc/self/maps; elsewhere fall back to normal probing.
    private static string? FindLoadedLibrdkafka()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && line.AsSpan(slash).EndsWith("librdkafka.so", StringComparison.Ordinal))
            {
                return line[slash..];
            }
        }

        return null;
    }
}
