using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Core.DeadLetters;

/// <summary>
/// A message or reading the pipeline could not accept, with the reason and the original bytes so it
/// can be inspected and replayed.
/// </summary>
/// <param name="Reason">The reason code (one counter per reason).</param>
/// <param name="Detail">Human-readable detail: the field, position or server message.</param>
/// <param name="Payload">The original bytes of the message (for a single rejected reading, the whole message it came from).</param>
/// <param name="Context">Topic, arrival time and key of the message.</param>
/// <param name="Source">The configured source name.</param>
/// <param name="WholeMessage">
/// True when this dead letter is where its message ended: nothing of the message went on (one per such message, so
/// dead-lettered messages can be counted); false for a single rejected reading of a message whose other readings went
/// on, for the further dead letters of a message, and for dead letters made after decoding (late readings, storage).
/// </param>
public sealed record DeadLetter(RejectReason Reason, string Detail, ReadOnlyMemory<byte> Payload, MessageContext Context, string Source, bool WholeMessage = false);
