using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Streams.Diagnostics;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>Counters of one configured source, updated by the graph with interlocked operations.</summary>
public sealed class SourceHealth(string name)
{
    private long _messages;
    private long _readings;
    private long _rejected;
    private IInputControl? _control;

    /// <summary>The source name.</summary>
    public string Name => name;

    /// <summary>Messages taken from the source.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Valid readings decoded from the source's messages.</summary>
    public long Readings => Interlocked.Read(ref _readings);

    /// <summary>Messages or readings of this source that became dead letters while decoding or validating.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Time the source was held back by the graph.</summary>
    public BackpressureClock Backpressure { get; } = new();

    /// <summary>The running source's control (null until materialized).</summary>
    public IInputControl? Control
    {
        get => Volatile.Read(ref _control);
        set => Volatile.Write(ref _control, value);
    }

    /// <summary>Counts a message taken.</summary>
    public void AddMessage() => Interlocked.Increment(ref _messages);

    /// <summary>Adds decoded readings.</summary>
    public void AddReadings(long count) => Interlocked.Add(ref _readings, count);

    /// <summary>Counts a dead letter from decoding.</summary>
    public void AddRejected() => Interlocked.Increment(ref _rejected);
}
