using System.Reactive.Subjects;
using Akka.Streams;
using Akka.Streams.Stage;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>
/// Runs an Rx transform <c>IObservable&lt;TIn&gt; → IObservable&lt;TOut&gt;</c> inside a stage: each element pulled
/// from upstream is pushed synchronously into the transform, whatever it emits is buffered and pushed downstream on
/// <see cref="Out"/>, and the next element is pulled only when that buffer is empty, so downstream demand still governs.
/// Emissions from scheduler threads (time-based transforms on a real scheduler) enter through an async callback.
/// <para><b>On an element's exception</b> (the transform signals <c>OnError</c> or throws while the element is pushed
/// into it): with a dead-letter function, the element goes to <see cref="DeadLetters"/> as the dead letter that function
/// makes of it (which takes over the element's acknowledgement reference), and the transform is subscribed afresh for
/// the next element. An Rx chain is dead after <c>OnError</c>, so <b>the state of the transform is lost</b>: whatever it
/// accumulated (per-series state, windows, counts) starts from scratch, exactly as after a restart. What the transform
/// emitted for the element before it failed stays emitted. Without a dead-letter function the stage fails with the
/// error (for elements that carry no acknowledgement, e.g. samples and tests).</para>
/// <para><b>Emits when</b> the transform produced an element, or an element failed, and that outlet has demand.</para>
/// <para><b>Backpressures when</b> produced elements or dead letters are waiting for demand. The buffer is bounded by
/// <c>maxBuffer</c>; a transform that produces more than that without demand fails the stage with
/// <see cref="BufferOverflowException"/> (Rx cannot be backpressured, so the overflow is an error, never a silent drop).</para>
/// <para><b>Completes when</b> upstream completes and the transform has completed and its output is pushed, or the
/// transform completes by itself (then upstream is cancelled).</para>
/// <para><b>Fails when</b> upstream fails, the buffer overflows, building or subscribing the transform throws, or the
/// transform signals an error outside the processing of an element (on a scheduler thread, or at completion), which
/// no element can be blamed for.</para>
/// <para><b>Cancels when</b> either outlet cancels; the transform's subscription is disposed.</para>
/// </summary>
public sealed class RxTransformStage<TIn, TOut> : GraphStage<FanOutShape<TIn, TOut, Envelope<DeadLetter>>>
{
    private readonly Func<IObservable<TIn>, IObservable<TOut>> _transform;
    private readonly Func<TIn, Exception, Envelope<DeadLetter>>? _deadLetter;
    private readonly int _maxBuffer;

    /// <summary>Creates the stage.</summary>
    /// <param name="transform">Builds the transform once per materialization, and again after an element failed.</param>
    /// <param name="deadLetter">
    /// Makes the dead letter of an element whose processing threw, wrapped with one acknowledgement reference of the
    /// element (the element's own, when the transform emitted nothing holding it); null fails the stage instead.
    /// </param>
    /// <param name="maxBuffer">The most produced elements held waiting for demand.</param>
    public RxTransformStage(Func<IObservable<TIn>, IObservable<TOut>> transform, Func<TIn, Exception, Envelope<DeadLetter>>? deadLetter, int maxBuffer = 1024)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuffer, 1);
        _transform = transform;
        _deadLetter = deadLetter;
        _maxBuffer = maxBuffer;
        Shape = new FanOutShape<TIn, TOut, Envelope<DeadLetter>>(In, Out, DeadLetters);
    }

    /// <summary>Elements in.</summary>
    public Inlet<TIn> In { get; } = new("RxTransform.in");

    /// <summary>Transformed elements out (outlet 0).</summary>
    public Outlet<TOut> Out { get; } = new("RxTransform.out");

    /// <summary>Elements whose processing threw (outlet 1).</summary>
    public Outlet<Envelope<DeadLetter>> DeadLetters { get; } = new("RxTransform.deadLetters");

    /// <inheritdoc />
    public override FanOutShape<TIn, TOut, Envelope<DeadLetter>> Shape { get; }

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic, IObserver<TOut>
    {
        private readonly RxTransformStage<TIn, TOut> _stage;
        private readonly Queue<TOut> _buffer = new();
        private readonly Queue<Envelope<DeadLetter>> _deadLetters = new();
        private Subject<TIn> _input = new();
        private Action<TOut> _offThreadNext = null!;
        private Action<Exception> _offThreadError = null!;
        private Action _offThreadCompleted = null!;
        private IDisposable? _subscription;
        private IObserver<TOut>? _current;
        private int _stageThread;
        private bool _inStage;
        private bool _pushingElement;
        private Exception? _elementError;
        private bool _transformCompleted;

        public Logic(RxTransformStage<TIn, TOut> stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: OnUpstreamFinish, onUpstreamFailure: OnUpstreamFailure);
            SetHandler(stage.Out, onPull: Drain, onDownstreamFinish: _ => CompleteStage());
            SetHandler(stage.DeadLetters, onPull: Drain, onDownstreamFinish: _ => CompleteStage());
        }

        public override void PreStart()
        {
            _offThreadNext = GetAsyncCallback<TOut>(Enqueue);
            _offThreadError = GetAsyncCallback<Exception>(FailStage);
            _offThreadCompleted = GetAsyncCallback(OnTransformCompleted);
            Subscribe();
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
            if (OnStageThread && _pushingElement && _stage._deadLetter is not null)
            {
                _elementError ??= error;
            }
            else if (OnStageThread)
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

        private void Subscribe()
        {
            // Each subscription gets its own observer, so a late signal of a disposed chain cannot reach the new one.
            var observer = new Forwarder(this);
            _current = observer;
            RunInStage(() => _subscription = _stage._transform(_input).Subscribe(observer));
        }

        private void OnPush()
        {
            var element = Grab(_stage.In);
            _pushingElement = true;
            try
            {
                RunInStage(() => _input.OnNext(element));
            }
#pragma warning disable CA1031 // an exception thrown out of the transform fails this element, not the stage
            catch (Exception ex) when (_stage._deadLetter is not null)
#pragma warning restore CA1031
            {
                _elementError ??= ex;
            }
            finally
            {
                _pushingElement = false;
            }

            if (_elementError is { } error)
            {
                _elementError = null;
                _deadLetters.Enqueue(_stage._deadLetter!(element, error));
                Resubscribe();
            }

            Drain();
        }

        private void Resubscribe()
        {
            _subscription?.Dispose();
            _subscription = null;
            _input.Dispose();
            _input = new Subject<TIn>();
            _transformCompleted = false;
            Subscribe();
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

            if (_deadLetters.Count > 0 && IsAvailable(_stage.DeadLetters))
            {
                Push(_stage.DeadLetters, _deadLetters.Dequeue());
            }

            if (_buffer.Count == 0 && _deadLetters.Count == 0)
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

        /// <summary>The observer of one subscription: forwards to the logic while that subscription is the current one.</summary>
        private sealed class Forwarder(Logic logic) : IObserver<TOut>
        {
            private bool IsCurrent => ReferenceEquals(logic._current, this);

            public void OnNext(TOut value)
            {
                if (IsCurrent)
                {
                    ((IObserver<TOut>)logic).OnNext(value);
                }
            }

            public void OnError(Exception error)
            {
                if (IsCurrent)
                {
                    ((IObserver<TOut>)logic).OnError(error);
                }
            }

            public void OnCompleted()
            {
                if (IsCurrent)
                {
                    ((IObserver<TOut>)logic).OnCompleted();
                }
            }
        }
    }
}
