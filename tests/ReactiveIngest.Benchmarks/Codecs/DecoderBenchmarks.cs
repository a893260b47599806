using System.Text;
using BenchmarkDotNet.Attributes;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Benchmarks.Codecs;

/// <summary>
/// Decoder and validator throughput on one thread. Each operation is one reading
/// (<c>OperationsPerInvoke</c> = readings per message), so the reported mean is the cost per reading.
/// Messages: 1 000 devices in rotation, 4 metrics each, as one JSON object / one line-protocol line.
/// </summary>
[MemoryDiagnoser]
public class DecoderBenchmarks
{
    private const int Devices = 1000;
    private const int MetricsPerMessage = 4;

    private readonly List<Reading> _output = new(64);
    private byte[][] _json = [];
    private byte[][] _lineProtocol = [];
    private JsonReadingDecoder _jsonDecoder = null!;
    private LineProtocolDecoder _lineDecoder = null!;
    private ReadingValidator _validator = null!;
    private Reading[] _readings = [];
    private MessageContext _context;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        const long ts = 1_700_000_000_000L;
        _json = new byte[Devices][];
        _lineProtocol = new byte[Devices][];
        for (var i = 0; i < Devices; i++)
        {
            _json[i] = Encoding.UTF8.GetBytes(
                $$"""{"deviceId":"device-{{i:D5}}","ts":{{ts + i}},"site":"site-{{i % 10}}","temperature":21.{{i % 10}},"humidity":{{40 + (i % 20)}},"pressure":1013.25,"battery":3.7}""");
            _lineProtocol[i] = Encoding.UTF8.GetBytes(
                $"env,deviceId=device-{i:D5},site=site-{i % 10} temperature=21.{i % 10},humidity={40 + (i % 20)}i,pressure=1013.25,battery=3.7 {(ts + i) * 1_000_000L}\n");
        }

        _jsonDecoder = new JsonReadingDecoder(new JsonCodecOptions().WithTag("site"));
        _lineDecoder = new LineProtocolDecoder();
        _validator = new ReadingValidator(new ValidationOptions { MaxAge = TimeSpan.FromDays(365 * 100) });
        _context = new MessageContext("devices/telemetry", ts * 1_000_000L);
        _readings = new Reading[Devices];
        for (var i = 0; i < Devices; i++)
        {
            _readings[i] = new Reading($"device-{i:D5}", "temperature", UnixTime.Now(), 21.5, TagSet.Create(("site", $"site-{i % 10}")));
        }
    }

    [Benchmark(OperationsPerInvoke = MetricsPerMessage)]
    public int Json_per_reading()
    {
        _output.Clear();
        _jsonDecoder.Decode(_json[Next()], _context, _output);
        return _output.Count;
    }

    [Benchmark(OperationsPerInvoke = MetricsPerMessage)]
    public int LineProtocol_per_reading()
    {
        _output.Clear();
        _lineDecoder.Decode(_lineProtocol[Next()], _context, _output);
        return _output.Count;
    }

    [Benchmark]
    public bool Validate_per_reading() => _validator.Validate(_readings[Next()]).IsValid;

    private int Next()
    {
        var next = _next + 1;
        _next = next == Devices ? 0 : next;
        return _next;
    }
}
