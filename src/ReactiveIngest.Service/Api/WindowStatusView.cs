namespace ReactiveIngest.Service.Api;

/// <summary>One configured window definition in <c>/api/status</c>: results emitted, late readings, and what its stage holds now.</summary>
public sealed record WindowStatusView(string Name, long Emitted, long Late, long OpenWindows, long Series, long PendingMessages);
