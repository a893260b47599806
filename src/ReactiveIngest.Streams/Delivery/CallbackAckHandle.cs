namespace ReactiveIngest.Streams.Delivery;

/// <summary>An <see cref="AckHandle"/> that runs a callback when its last reference is released.</summary>
public sealed class CallbackAckHandle : AckHandle
{
    private readonly Action _onReleased;

    /// <summary>Creates a handle holding one reference.</summary>
    public CallbackAckHandle(Action onReleased)
    {
        ArgumentNullException.ThrowIfNull(onReleased);
        _onReleased = onReleased;
    }

    /// <inheritdoc />
    protected override void OnReleased() => _onReleased();
}
