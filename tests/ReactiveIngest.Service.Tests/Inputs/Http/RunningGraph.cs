using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

/// <summary>
/// A <see cref="GraphState"/> that says a graph runs, for hosts whose pipeline service is removed (so nothing reads the
/// inlet) but whose endpoints must still take requests instead of answering 503.
/// </summary>
internal static class RunningGraph
{
    public static GraphState Create()
    {
        var state = new GraphState();
        state.Started(afterFailure: false);
        return state;
    }
}
