using System.Reactive.Subjects;
using Akka.Streams;
using Akka.Streams.Stage;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>
/// Runs an Rx transform <c>IObservable&lt;TIn&gt; → IObservable&lt;TOut&gt;</c> inside a stage: each element pulled
/// from upstream is pushed synchronously into the transform, whatever it emits is buffered and pushed downstream,
/// and the next element is pulled only when that buffer is empty, so downstream demand still governs.
/// Emissions from scheduler threads (time-based transforms on a real scheduler) enter through an async callback.
/// <para><b>Emits when</b> the transform produced an element and downstream has demand.</para>
/// <para><b>Backpressures when</b> produced elements are waiting for demand. The buffer is bounded by
/// <c>maxBuffer</c>; a transform that produces more than that without demand fails the stage with
/// <see cref="BufferOverflowException"/> (Rx cannot be backpressured, so the overflow is an error, never a silent drop).</para>
/// <para><b>Completes when</b> upstream completes and the transform has completed and its output is pushed, or the
/// transform completes by itself (then upstream is cancelled).</para>
/// <para><b>Cancels when</b> downstream cancels; the transform's subscription is disposed.</para>
/// </summary>
public sealed class RxTransformStage<TIn, TOut> : GraphStage<FlowShape<TIn, TOut>>
{
    private readonly Func<IObservable<TIn>, IObservable<TOut>> _transform;
    private readonly int _maxBuffer;

    /// <summary>Creates the stage.</summary>
    /// <param name="transform">Builds the transform once per materialization.</param>
    /// <param name="maxBuffer">The most produced elements held waiting for demand.</param>
    public RxTransformStage(Func<IObservable<TIn>, IObservable<TOut>> transform, int maxBuffer = 1024)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuffer, 1);
        _transform = transform;
        _maxBuffer = maxBuffer;
        Shape = new FlowShape<TIn, TOut>(In, Out);
    }

    /// <summary>Elements in.</summary>
    public Inlet<TIn> In { get; } = new("RxTransform.in");

    /// <summary>Transformed elements out.</summary>
    public Outlet<TOut> Out { get; } = new("RxTransform.out");

    /// <inheritdoc />
    public override FlowShape<TIn, TOut> Shape { get; }

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic, IObserver<TOut>
    {
        private readonly RxTransformStage<TIn, TOut> _stage;
        private readonly Queue<TOut> _buffer = new();
        private readonly Subject<TIn> _input = new();
        private Action<TOut> _offThreadNext = null!;
        private Action<Exception> _offThreadError = null!;
        private Action _offThreadCompleted = null!;
        private IDisposable? _subscription;
        private int _stageThread;
        private bool _inStage;
        private bool _transformCompleted;

        public Logic(RxTransformStage<TIn, TOut> stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: OnUpstreamFinish, onUpstreamFailure: OnUpstreamFailure);
            SetHandler(stage.Out, onPull: Drain, onDownstreamFinish: _ => CompleteStage());
        }

        public override void PreStart()
        {
            _offThreadNext = GetAsyncCallback<TOut>(Enqueue);
            _offThreadError = GetAsyncCallback<Exception>(FailStage);
            _offThreadCompleted = GetAsyncCallback(OnTransformCompleted);
            RunInStage(() => _subscription = _stage._transform(_input).Subscribe(this));
            Drain();
        }

        public override void PostStop() => _subscription?.Dispose();

        void IObserver<TOut>.OnNext(TOut value)
        {
            if (OnStageThread)
            {
                Enqueue(value);
            }
            else
            {
                _offThreadNext(value);
            }
        }

        void IObserver<TOut>.OnError(Exception error)
        {
            if (OnStageThread)
            {
                FailStage(error);
            }
            else
            {
                _offThreadError(error);
            }
        }

        void IObserver<TOut>.OnCompleted()
        {
            if (OnStageThread)
            {
                _transformCompleted = true;
            }
            else
            {
                _offThreadCompleted();
            }
        }

        private bool OnStageThread => _inStage && Environment.CurrentManagedThreadId == _stageThread;

        private void OnPush()
        {
            var element = Grab(_stage.In);
            RunInStage(() => _input.OnNext(element));
            Drain();
        }

        private void OnUpstreamFinish()
        {
            RunInStage(_input.OnCompleted);
            _transformCompleted = true;
            Drain();
        }

        private void OnUpstreamFailure(Exception error)
        {
            RunInStage(() => _input.OnError(error));
            FailStage(error);
        }

        private void OnTransformCompleted()
        {
            _transformCompleted = true;
            Drain();
        }

        private void RunInStage(Action action)
        {
            _stageThread = Environment.CurrentManagedThreadId;
            _inStage = true;
            try
            {
                action();
            }
            finally
            {
                _inStage = false;
            }
        }

        private void Enqueue(TOut value)
        {
            if (_buffer.Count >= _stage._maxBuffer)
            {
                FailStage(new BufferOverflowException($"The Rx transform produced more than {_stage._maxBuffer} elements without downstream demand."));
                return;
            }

            _buffer.Enqueue(value);
            Drain();
        }

        private void Drain()
        {
            if (_buffer.Count > 0 && IsAvailable(_stage.Out))
            {
                Push(_stage.Out, _buffer.Dequeue());
            }

            if (_buffer.Count == 0)
            {
                if (_transformCompleted)
                {
                    CompleteStage();
                }
                else if (!IsClosed(_stage.In) && !HasBeenPulled(_stage.In) && !_inStage)
                {
                    Pull(_stage.In);
                }
            }
        }
    }
}
