using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>Entry points for Rx transforms as stages and flows.</summary>
public static class RxTransform
{
    /// <summary>
    /// The two-outlet stage: transformed elements on out0; on out1 the dead letters <paramref name="deadLetter"/> makes
    /// of elements whose processing threw, after which the transform starts afresh (see <see cref="RxTransformStage{TIn,TOut}"/>).
    /// </summary>
    public static RxTransformStage<TIn, TOut> Stage<TIn, TOut>(
        Func<IObservable<TIn>, IObservable<TOut>> transform,
        Func<TIn, Exception, Envelope<DeadLetter>> deadLetter,
        int maxBuffer = 1024)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return new RxTransformStage<TIn, TOut>(transform, deadLetter, maxBuffer);
    }

    /// <summary>
    /// A flow that runs <paramref name="transform"/> per element inside the stage (see <see cref="RxTransformStage{TIn,TOut}"/>),
    /// for elements without acknowledgement: there is nowhere to dead-letter an element, so a transform error fails the
    /// stream. In the data path use <see cref="Stage"/>.
    /// </summary>
    public static Flow<TIn, TOut, NotUsed> Create<TIn, TOut>(Func<IObservable<TIn>, IObservable<TOut>> transform, int maxBuffer = 1024)
    {
        var stage = new RxTransformStage<TIn, TOut>(transform, null, maxBuffer);
        return Flow.FromGraph(GraphDsl.Create(builder =>
        {
            var rx = builder.Add(stage);
            builder.From(rx.Out1).To(builder.Add(Sink.Ignore<Envelope<DeadLetter>>()));
            return new FlowShape<TIn, TOut>(rx.In, rx.Out0);
        }));
    }
}
