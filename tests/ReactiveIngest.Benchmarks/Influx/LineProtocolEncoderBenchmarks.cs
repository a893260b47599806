using BenchmarkDotNet.Attributes;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Writing;

namespace ReactiveIngest.Benchmarks.Influx;

/// <summary>
/// Line-protocol encoding into a pooled batch buffer, per point (goal ≥ 2,000,000 points/s).
/// Run: <c>dotnet run -c Release --project tests/ReactiveIngest.Benchmarks -- --filter *LineProtocolEncoder*</c>.
/// </summary>
[MemoryDiagnoser]
public class LineProtocolEncoderBenchmarks
{
    private const int Points = 10_000;
    private Reading[] _readings = [];
    private LinePoint[] _raw = [];
    private LinePoint[] _tagged = [];
    private EncodedBatch _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _readings = [.. Enumerable.Range(0, Points).Select(i =>
            new Reading($"device-{i % 1000}", "temperature", 1_700_000_000_000_000_000L + (i * 1_000_000L), 20 + (i % 97 / 7.0)))];
        _raw = [.. _readings.Select(r => ReadingPointMapper.Default.Map(r))];
        _tagged = [.. Enumerable.Range(0, Points).Select(i => PointBuilder.Measurement("environment")
            .Tag("deviceId", $"device-{i % 1000}").Tag("site", "plant 7, hall b").Tag("firmware", "1.4.2")
            .Field("temperature", 20 + (i % 97 / 7.0)).Field("humidity", 40L + (i % 13)).Field("ok", true).Field("note", "door \"A\"")
            .Timestamp(1_700_000_000_000_000_000L + (i * 1_000_000L)).Build())];
        _batch = new EncodedBatch(WritePrecision.Nanoseconds, Points, 2 * 1024 * 1024);
    }

    [GlobalCleanup]
    public void Cleanup() => _batch.Dispose();

    /// <summary>The raw sink's mapping of one reading to its point (the device tag added), before encoding.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int Map_reading_to_point()
    {
        var tags = 0;
        foreach (ref readonly var reading in _readings.AsSpan())
        {
            tags += ReadingPointMapper.Default.Map(reading).Tags.Count;
        }

        return tags;
    }

    /// <summary>One reading mapped to a point (1 tag, 1 float field).</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int Encode_raw_reading_point()
    {
        _batch.Clear();
        foreach (var point in _raw)
        {
            _batch.TryAdd(point);
        }

        return _batch.ByteCount;
    }

    /// <summary>A wider point: 3 tags (one needing escapes), 4 fields of different types.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public int Encode_tagged_point_with_four_fields()
    {
        _batch.Clear();
        foreach (var point in _tagged)
        {
            _batch.TryAdd(point);
        }

        return _batch.ByteCount;
    }
}
