using Akka;
using ReactiveIngest.Service.Outputs;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// The switch behind <see cref="OpenWindowsOnShutdown.Provisional"/>: once <see cref="Begin"/> was called, window results
/// reaching the aggregate sink are written as early (provisional) results, but the acknowledgement reference they carry
/// is withheld, never released. The window stage releases a message only after every result covering it was released,
/// so the messages of windows still open at shutdown (and, because acknowledgements go in arrival order, those after
/// them) stay unacknowledged and are redelivered on restart; their recomputed windows overwrite the provisional points.
/// A result that was already on its way to storage before <see cref="Begin"/> is acknowledged normally.
/// </summary>
public sealed class ProvisionalWindows
{
    private int _begun;
    private long _written;
    private long _withheld;

    /// <summary>True once shutdown began.</summary>
    public bool IsActive => Volatile.Read(ref _begun) != 0;

    /// <summary>Provisional results written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Results withheld so far (written or still being written).</summary>
    public long Withheld => Interlocked.Read(ref _withheld);

    /// <summary>From now on results are provisional.</summary>
    public void Begin() => Interlocked.Exchange(ref _begun, 1);

    /// <summary>
    /// The flow in front of the window outputs: before <see cref="Begin"/> results pass unchanged; after it each result
    /// passes as provisional with a handle of its own, and the handle it carried is withheld.
    /// </summary>
    public Flow<Envelope<NamedWindowResult>, Envelope<NamedWindowResult>, NotUsed> Flow() =>
        Akka.Streams.Dsl.Flow.Create<Envelope<NamedWindowResult>>().Select(e =>
        {
            if (!IsActive)
            {
                return e;
            }

            // e.Ack is deliberately not released: it holds the window's messages unacknowledged.
            Interlocked.Increment(ref _withheld);
            var provisional = e.Payload with { Result = e.Payload.Result with { Kind = EmissionKind.Early } };
            return new Envelope<NamedWindowResult>(provisional, new CallbackAckHandle(() => Interlocked.Increment(ref _written)));
        });
}
