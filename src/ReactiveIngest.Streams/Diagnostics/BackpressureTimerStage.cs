using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Stage;

namespace ReactiveIngest.Streams.Diagnostics;

/// <summary>
/// Passes elements through unchanged and adds to a <see cref="BackpressureClock"/> the time from handing each element
/// on to the next downstream demand: the time the stage upstream of it is held back. It also records how long each
/// element took to arrive after it was asked for, for <see cref="BackpressureClock.SupplyUnbrokenFor"/>. Costs two
/// timestamps per element.
/// </summary>
/// <remarks>
/// <para><b>Emits when</b> upstream emits.</para>
/// <para><b>Backpressures when</b> downstream backpressures (that time is what it measures).</para>
/// <para><b>Completes when</b> upstream completes.</para>
/// <para><b>Cancels when</b> downstream cancels.</para>
/// </remarks>
public sealed class BackpressureTimerStage<T> : GraphStage<FlowShape<T, T>>
{
    private readonly BackpressureClock _clock;

    /// <summary>Creates the stage writing to <paramref name="clock"/>.</summary>
    public BackpressureTimerStage(BackpressureClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        Shape = new FlowShape<T, T>(In, Out);
    }

    /// <summary>The inlet.</summary>
    public Inlet<T> In { get; } = new("BackpressureTimer.in");

    /// <summary>The outlet.</summary>
    public Outlet<T> Out { get; } = new("BackpressureTimer.out");

    /// <inheritdoc />
    public override FlowShape<T, T> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes => Attributes.CreateName("backpressureTimer");

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly BackpressureTimerStage<T> _stage;
        private long _pushedAt;

        public Logic(BackpressureTimerStage<T> stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void OnPush()
        {
            Push(_stage.Out, Grab(_stage.In));
            _pushedAt = Stopwatch.GetTimestamp();
            _stage._clock.Passed(_pushedAt);
        }

        public override void OnPull()
        {
            var now = Stopwatch.GetTimestamp();
            if (_pushedAt != 0)
            {
                _stage._clock.Waited(now - _pushedAt);
                _pushedAt = 0;
            }

            _stage._clock.Pulled(now);
            Pull(_stage.In);
        }
    }
}
