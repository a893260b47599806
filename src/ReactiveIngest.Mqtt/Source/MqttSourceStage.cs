using System.Diagnostics.Metrics;
using Akka.Streams;
using Akka.Streams.Stage;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Mqtt.Source;

/// <summary>
/// Emits the messages of one or more MQTT connections as envelopes whose handle acknowledges the message
/// to the broker (in arrival order) when released.
/// <para><b>Emits when</b> a received message is buffered and downstream pulls.</para>
/// <para><b>Backpressures when</b> downstream does not pull: the buffer fills, then each connection stops
/// admitting messages once <c>MaxInFlight</c> are unacknowledged, and the broker (Receive Maximum) stops
/// sending. QoS 0 messages finding the buffer full are dropped and counted.</para>
/// <para><b>Completes when</b> <see cref="IMqttSourceControl.StopAsync"/> or
/// <see cref="IMqttSourceControl.DrainAndShutdownAsync"/> is called. A lost broker connection does not
/// complete or fail it: the connection reconnects with backoff.</para>
/// <para><b>Cancels when</b> downstream cancels: the connections close (the broker keeps the session and
/// redelivers what was not acknowledged).</para>
/// </summary>
internal sealed class MqttSourceStage : GraphStageWithMaterializedValue<SourceShape<Envelope<RawMessage>>, IMqttSourceControl>
{
    private readonly MqttSourceSettings _settings;
    private readonly IMeterFactory? _meterFactory;

    public MqttSourceStage(MqttSourceSettings settings, IMeterFactory? meterFactory)
    {
        _settings = settings;
        _meterFactory = meterFactory;
        Shape = new SourceShape<Envelope<RawMessage>>(Out);
    }

    public Outlet<Envelope<RawMessage>> Out { get; } = new("MqttSource.out");

    public override SourceShape<Envelope<RawMessage>> Shape { get; }

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("MqttSource");

    public override ILogicAndMaterializedValue<IMqttSourceControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var runtime = new MqttSourceRuntime(_settings, _meterFactory);
        return new LogicAndMaterializedValue<IMqttSourceControl>(new Logic(this, runtime), runtime);
    }

    private sealed class Logic : GraphStageLogic
    {
        private readonly MqttSourceStage _stage;
        private readonly MqttSourceRuntime _runtime;
        private Action? _onReadable;
        private bool _waiting;
        private bool _graceful = true;

        public Logic(MqttSourceStage stage, MqttSourceRuntime runtime)
            : base(stage.Shape)
        {
            _stage = stage;
            _runtime = runtime;
            SetHandler(stage.Out, onPull: TryPush, onDownstreamFinish: cause =>
            {
                _graceful = cause is SubscriptionWithCancelException.NonFailureCancellation;
                CompleteStage();
            });
        }

        public override void PreStart()
        {
            _onReadable = GetAsyncCallback(() =>
            {
                _waiting = false;
                if (IsAvailable(_stage.Out))
                {
                    TryPush();
                }
            });
            var onStop = GetAsyncCallback(CompleteStage);
            _ = _runtime.StopRequested.ContinueWith(_ => onStop(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _runtime.Start(Log);
        }

        public override void PostStop() => _runtime.Shutdown(_graceful, failure: null);

        private void TryPush()
        {
            if (_runtime.Reader.TryRead(out var envelope))
            {
                Push(_stage.Out, envelope);
                return;
            }

            if (_runtime.Reader.Completion.IsCompleted)
            {
                CompleteStage();
                return;
            }

            if (!_waiting)
            {
                _waiting = true;
                var readable = _runtime.Reader.WaitToReadAsync();
                if (readable.IsCompleted)
                {
                    _waiting = false;
                    if (_runtime.Reader.TryRead(out envelope))
                    {
                        Push(_stage.Out, envelope);
                    }
                    else
                    {
                        // Raced with a reader completion or an empty wake-up; try again on the next signal.
                        WaitAsync(readable);
                    }

                    return;
                }

                WaitAsync(readable);
            }
        }

        private void WaitAsync(ValueTask<bool> readable)
        {
            _waiting = true;
            var callback = _onReadable!;
            _ = readable.AsTask().ContinueWith(_ => callback(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
