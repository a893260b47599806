namespace ReactiveIngest.Kafka.Consumer;

/// <summary>A counter written by one thread and read by any: no interlocked instruction on the hot path.</summary>
internal sealed class SingleWriterCounter
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    public void Increment() => Volatile.Write(ref _value, _value + 1);
}
