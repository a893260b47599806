using Akka;
using Akka.Streams.Dsl;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>Entry points for Rx transforms as flows.</summary>
public static class RxTransform
{
    /// <summary>
    /// A flow that runs <paramref name="transform"/> per element inside the stage (see <see cref="RxTransformStage{TIn,TOut}"/>).
    /// </summary>
    public static Flow<TIn, TOut, NotUsed> Create<TIn, TOut>(Func<IObservable<TIn>, IObservable<TOut>> transform, int maxBuffer = 1024) =>
        Flow.FromGraph(new RxTransformStage<TIn, TOut>(transform, maxBuffer));
}
