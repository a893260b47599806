namespace ReactiveIngest.Streams.Delivery;

/// <summary>
/// The acknowledgement handle of one source message (an MQTT packet, a Kafka offset, an HTTP request).
/// It is reference counted: the source creates it holding one reference; every stage that derives
/// several elements from the message takes one reference per derived element (<see cref="Retain"/>)
/// and every element that becomes durable (written to InfluxDB, written to the dead-letter output,
/// or folded into a window that was written) gives one back (<see cref="Release"/>). When the count
/// reaches zero the source is told, exactly once, that the message may be acknowledged.
/// </summary>
/// <remarks>Thread-safe: sinks release from their own threads.</remarks>
public abstract class AckHandle
{
    private int _references = 1;

    /// <summary>A handle for elements that need no acknowledgement (tests, in-memory sources).</summary>
    public static AckHandle None { get; } = new NoAck();

    /// <summary>True once the last reference was released.</summary>
    public bool IsReleased => Volatile.Read(ref _references) <= 0;

    /// <summary>Takes <paramref name="count"/> more references (count ≥ 0).</summary>
    /// <exception cref="InvalidOperationException">The handle was already released.</exception>
    public void Retain(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0 || ReferenceEquals(this, None))
        {
            return;
        }

        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current <= 0)
            {
                throw new InvalidOperationException("Retain on an acknowledgement handle that was already released.");
            }

            if (Interlocked.CompareExchange(ref _references, current + count, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Gives one reference back; the last one acknowledges the source message.</summary>
    /// <exception cref="InvalidOperationException">More releases than references.</exception>
    public void Release()
    {
        if (ReferenceEquals(this, None))
        {
            return;
        }

        var remaining = Interlocked.Decrement(ref _references);
        if (remaining == 0)
        {
            OnReleased();
        }
        else if (remaining < 0)
        {
            throw new InvalidOperationException("Acknowledgement handle released more often than it was retained.");
        }
    }

    /// <summary>Called once, on the thread of the last <see cref="Release"/>. Must not block.</summary>
    protected abstract void OnReleased();

    private sealed class NoAck : AckHandle
    {
        protected override void OnReleased()
        {
        }
    }
}
