using System.Collections.Concurrent;
using System.Net;

namespace ReactiveIngest.Influx.Tests.Support;

/// <summary>
/// An <see cref="HttpMessageHandler"/> for an <see cref="HttpClient"/> given to the writer: it records every request
/// (bodies must not be compressed) and answers it at once with the status <c>answer</c> returns, or holds it (when
/// that is null) until the test calls <see cref="HeldRequest.Answer"/>. Requests run concurrently, so the test sees
/// exactly which writes are in flight together. Every start and answer gets a number from one sequence.
/// </summary>
internal sealed class HeldHttpHandler(Func<HeldRequest, HttpStatusCode?> answer) : HttpMessageHandler
{
    private long _sequence;
    private int _count;

    public ConcurrentQueue<HeldRequest> Requests { get; } = new();

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var held = new HeldRequest(this, Interlocked.Increment(ref _count) - 1, body, NextSequence());
        Requests.Enqueue(held);
        if (answer(held) is { } status)
        {
            held.Answer(status);
        }

        var answered = await held.Answered.WaitAsync(cancellationToken);
        return new HttpResponseMessage(answered) { RequestMessage = request };
    }
}

/// <summary>A request the <see cref="HeldHttpHandler"/> received.</summary>
internal sealed class HeldRequest(HeldHttpHandler handler, int index, string body, long startedAt)
{
    private readonly TaskCompletionSource<HttpStatusCode> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _answeredAt;

    public int Index { get; } = index;

    public string Body { get; } = body;

    public string[] Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Position of the start of the request in the handler's sequence.</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>Position of the answer in the handler's sequence (0 while held).</summary>
    public long AnsweredAt => Interlocked.Read(ref _answeredAt);

    public Task<HttpStatusCode> Answered => _answer.Task;

    public void Answer(HttpStatusCode status)
    {
        Interlocked.Exchange(ref _answeredAt, handler.NextSequence());
        _answer.SetResult(status);
    }
}
