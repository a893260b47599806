using Akka.Streams;
using Akka.Streams.Stage;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Limits;

namespace ReactiveIngest.Journal.Stages;

/// <summary>
/// Puts a <see cref="SourceJournal"/> between a source and the graph: what arrives on the inlet is appended, and its
/// handle released once the entry is committed (the source then acknowledges its message); what the outlet emits is
/// read back from the journal, with a handle that releases the journal entry.
/// <para><b>Emits when</b> a committed entry is unread and downstream pulls (after a restart first the entries left
/// unreleased by the last run).</para>
/// <para><b>Backpressures when</b> the journal holds its disk budget (or its memory pages wait for a flush):
/// the inlet is not pulled until there is room again. Downstream's pace does not reach upstream otherwise: the
/// journal is the buffer.</para>
/// <para><b>Completes when</b> upstream has completed and every entry was emitted, or the journal's writing was
/// completed (<see cref="SourceJournal.CompleteWriting"/>) and every entry was emitted.</para>
/// <para><b>Cancels when</b> downstream cancels; an envelope held for a full journal is then not appended and its
/// handle not released (the source redelivers it).</para>
/// <para><b>Oversize messages</b> never fail the stage: one whose entry would not fit in a page
/// (<see cref="SourceJournal.MaxEntryBytes"/>) is appended as its head, marked oversize
/// (<see cref="MessageSizeLimit.Head"/>), and dead-lettered as <c>TooLarge</c> by the decode stage. Inputs cut such
/// messages at their edge already (<c>MaxMessageBytes</c>, checked against the page at start-up); this is the backstop.</para>
/// </summary>
internal sealed class JournalStage(SourceJournal journal) : GraphStage<FlowShape<Envelope<RawMessage>, Envelope<RawMessage>>>
{
    public Inlet<Envelope<RawMessage>> In { get; } = new("Journal.in");

    public Outlet<Envelope<RawMessage>> Out { get; } = new("Journal.out");

    public override FlowShape<Envelope<RawMessage>, Envelope<RawMessage>> Shape => new(In, Out);

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("Journal");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this, journal);

    private sealed class Logic : GraphStageLogic
    {
        private readonly JournalStage _stage;
        private readonly SourceJournal _journal;
        private Action? _onWritable;
        private Action? _onReadable;
        private Envelope<RawMessage>? _held;
        private bool _waitingToWrite;
        private bool _waitingToRead;
        private bool _upstreamDone;

        public Logic(JournalStage stage, SourceJournal journal)
            : base(stage.Shape)
        {
            _stage = stage;
            _journal = journal;
            SetHandler(stage.In, onPush: () => Append(Grab(stage.In)), onUpstreamFinish: OnUpstreamFinish, onUpstreamFailure: FailStage);
            SetHandler(stage.Out, onPull: TryPush);
        }

        public override void PreStart()
        {
            _onWritable = GetAsyncCallback(() =>
            {
                _waitingToWrite = false;
                if (_held is { } held)
                {
                    _held = null;
                    Append(held);
                }
            });
            _onReadable = GetAsyncCallback(() =>
            {
                _waitingToRead = false;
                if (IsAvailable(_stage.Out))
                {
                    TryPush();
                }
            });
            Pull(_stage.In);
        }

        private void Append(Envelope<RawMessage> envelope)
        {
            var ack = envelope.Ack;
            var acknowledged = !ReferenceEquals(ack, AckHandle.None);
            var status = _journal.TryAppend(envelope.Payload, acknowledged, acknowledged ? ack.Release : null);
            if (status == JournalAppendStatus.TooLarge)
            {
                var head = MessageSizeLimit.Head(envelope.Payload, MessageSizeLimit.SizeOf(envelope.Payload));
                status = _journal.TryAppend(head, acknowledged, acknowledged ? ack.Release : null);
            }

            switch (status)
            {
                case JournalAppendStatus.Appended:
                    if (_upstreamDone)
                    {
                        _journal.CompleteWriting();
                    }
                    else
                    {
                        Pull(_stage.In);
                    }

                    break;
                case JournalAppendStatus.BudgetFull or JournalAppendStatus.Busy:
                    _held = envelope;
                    if (!_waitingToWrite)
                    {
                        _waitingToWrite = true;
                        _journal.NotifyWhenWritable(_onWritable!);
                    }

                    break;
                default:
                    FailStage(new InvalidOperationException($"the journal of {_journal.SourceName} takes no more entries"));
                    break;
            }
        }

        private void OnUpstreamFinish()
        {
            _upstreamDone = true;
            if (_held is null)
            {
                _journal.CompleteWriting();
            }

            if (IsAvailable(_stage.Out))
            {
                TryPush();
            }
        }

        private void TryPush()
        {
            if (_journal.TryRead(out var envelope))
            {
                Push(_stage.Out, envelope);
                return;
            }

            if (_journal.IsDrained)
            {
                CompleteStage();
                return;
            }

            if (!_waitingToRead)
            {
                _waitingToRead = true;
                _journal.NotifyWhenReadable(_onReadable!);
            }
        }
    }
}
