using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Kafka.Producer;

/// <summary>
/// Writes each element to Kafka with an idempotent producer and passes the envelope on once the
/// broker acknowledged it (its delivery report), so the handle can be released only when the record
/// is durable. Envelopes leave in delivery order, which is per-partition production order.
/// <para><b>Emits when</b> a record's delivery report succeeded and downstream pulls.</para>
/// <para><b>Backpressures when</b> <see cref="KafkaProducerSettings.MaxInFlight"/> records await delivery
/// reports, or delivered envelopes wait for downstream.</para>
/// <para><b>Completes when</b> upstream completed and every delivery report arrived and was emitted.</para>
/// <para><b>Cancels when</b> downstream cancels (outstanding records are flushed, not awaited).</para>
/// <para>Fails when a delivery fails after librdkafka's retries (message.timeout.ms) or the mapping throws;
/// the failed element's handle is not released.</para>
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class KafkaProducerStage<T> : GraphStage<FlowShape<Envelope<T>, Envelope<T>>>
{
    private readonly KafkaProducerSettings _settings;
    private readonly Func<T, KafkaProducerRecord> _toRecord;

    /// <summary>Creates the stage; prefer <see cref="KafkaFlow.Create{T}"/>.</summary>
    public KafkaProducerStage(KafkaProducerSettings settings, Func<T, KafkaProducerRecord> toRecord)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(toRecord);
        _settings = settings;
        _toRecord = toRecord;
        Shape = new FlowShape<Envelope<T>, Envelope<T>>(In, Out);
    }

    /// <summary>The inlet.</summary>
    public Inlet<Envelope<T>> In { get; } = new("KafkaProducer.in");

    /// <summary>The outlet.</summary>
    public Outlet<Envelope<T>> Out { get; } = new("KafkaProducer.out");

    /// <inheritdoc />
    public override FlowShape<Envelope<T>, Envelope<T>> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaProducer");

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic, IInHandler, IOutHandler
    {
        private readonly KafkaProducerStage<T> _stage;

        // Delivered envelopes waiting for downstream; at most MaxInFlight because pulling stops there.
        private readonly Queue<Envelope<T>> _delivered = new();
        private IProducer<string?, byte[]>? _producer;
        private Action<(Envelope<T> Envelope, DeliveryReport<string?, byte[]> Report)>? _onDelivery;
        private int _inFlight;

        public Logic(KafkaProducerStage<T> stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _onDelivery = GetAsyncCallback<(Envelope<T>, DeliveryReport<string?, byte[]>)>(OnDelivery);
            _producer = new ProducerBuilder<string?, byte[]>(_stage._settings.ToProducerConfig()).Build();
            Pull(_stage.In);
        }

        public override void PostStop()
        {
            if (_producer is { } producer)
            {
                producer.Flush(_stage._settings.FlushTimeout);
                producer.Dispose();
            }
        }

        public void OnPush()
        {
            var envelope = Grab(_stage.In);
            var record = _stage._toRecord(envelope.Payload);
            var onDelivery = _onDelivery!;
            _inFlight++;
            _producer!.Produce(
                record.Topic,
                new Message<string?, byte[]> { Key = record.Key, Value = record.Value },
                report => onDelivery((envelope, report)));
            PullIfRoom();
        }

        public void OnUpstreamFinish() => CompleteIfDone();

        public void OnUpstreamFailure(Exception e) => FailStage(e);

        public void OnPull()
        {
            if (_delivered.Count > 0)
            {
                Push(_stage.Out, _delivered.Dequeue());
                PullIfRoom();
            }

            CompleteIfDone();
        }

        public void OnDownstreamFinish(Exception cause) => CompleteStage();

        private void OnDelivery((Envelope<T> Envelope, DeliveryReport<string?, byte[]> Report) delivery)
        {
            _inFlight--;
            if (delivery.Report.Error.IsError)
            {
                FailStage(new KafkaException(delivery.Report.Error));
                return;
            }

            if (IsAvailable(_stage.Out) && _delivered.Count == 0)
            {
                Push(_stage.Out, delivery.Envelope);
            }
            else
            {
                _delivered.Enqueue(delivery.Envelope);
            }

            PullIfRoom();
            CompleteIfDone();
        }

        private void PullIfRoom()
        {
            if (!IsClosed(_stage.In) && !HasBeenPulled(_stage.In) && _inFlight + _delivered.Count < _stage._settings.MaxInFlight)
            {
                Pull(_stage.In);
            }
        }

        private void CompleteIfDone()
        {
            if (IsClosed(_stage.In) && _inFlight == 0 && _delivered.Count == 0)
            {
                CompleteStage();
            }
        }
    }
}
