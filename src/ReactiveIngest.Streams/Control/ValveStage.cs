using Akka.Streams;
using Akka.Streams.Stage;

namespace ReactiveIngest.Streams.Control;

/// <summary>
/// Lets elements through until closed. Unlike a kill switch it never cancels upstream: a source behind a closed
/// valve keeps its connection (so acknowledgements for what already went through can still be sent) and simply
/// is not pulled any more. Used for graceful shutdown.
/// <para><b>Emits when</b> upstream emits and the valve is open.</para>
/// <para><b>Backpressures when</b> downstream backpressures or the valve is closed.</para>
/// <para><b>Completes when</b> upstream completes, or <see cref="IValveControl.CompleteDownstream"/> is called
/// (then upstream is left alone until it completes by itself).</para>
/// <para><b>Cancels when</b> downstream cancels.</para>
/// </summary>
public sealed class ValveStage<T> : GraphStageWithMaterializedValue<FlowShape<T, T>, IValveControl>
{
    /// <summary>Creates the stage.</summary>
    public ValveStage() => Shape = new FlowShape<T, T>(In, Out);

    /// <summary>Elements in.</summary>
    public Inlet<T> In { get; } = new("Valve.in");

    /// <summary>Elements out.</summary>
    public Outlet<T> Out { get; } = new("Valve.out");

    /// <inheritdoc />
    public override FlowShape<T, T> Shape { get; }

    /// <inheritdoc />
    public override ILogicAndMaterializedValue<IValveControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new Logic(this);
        return new LogicAndMaterializedValue<IValveControl>(logic, logic);
    }

    private sealed class Logic : GraphStageLogic, IValveControl
    {
        private readonly ValveStage<T> _stage;
        private readonly Action _close;
        private readonly Action _complete;
        private bool _closed;

        public Logic(ValveStage<T> stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _close = GetAsyncCallback(() => _closed = true);
            _complete = GetAsyncCallback(() =>
            {
                _closed = true;
                Complete(_stage.Out);
            });
            SetHandler(stage.In, onPush: () =>
            {
                // An element that arrives after downstream was completed is not acknowledged by anyone, so its
                // source redelivers it (MQTT session, Kafka offset).
                var element = Grab(stage.In);
                if (!IsClosed(stage.Out))
                {
                    Push(stage.Out, element);
                }
            });
            SetHandler(stage.Out, onPull: () =>
            {
                if (!_closed)
                {
                    Pull(stage.In);
                }
            });
        }

        public void Close() => _close();

        public void CompleteDownstream() => _complete();
    }
}
