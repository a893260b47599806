using System.Diagnostics.Metrics;
using ReactiveIngest.Service.Diagnostics;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>
/// Request bodies that could not be read to their end: the client was too slow (Kestrel's
/// <c>MinRequestBodyDataRate</c>, 408), closed or reset the connection, or sent broken framing. Each is counted in
/// <see cref="IngestMeters.HttpAbortedBodies"/> (tagged <c>reason</c> = <c>timeout</c> or <c>aborted</c>) and logged
/// as one Warning line without a stack trace, once per connection, so that a misbehaving client cannot flood the log.
/// </summary>
/// <remarks>
/// Bounded: the ids of the last <see cref="RememberedConnections"/> connections that had one are remembered; a
/// connection forgotten since logs again.
/// </remarks>
public sealed partial class AbortedBodies
{
    /// <summary>How many connection ids are remembered to log each connection once.</summary>
    public const int RememberedConnections = 1024;

    private readonly ILogger<AbortedBodies> _logger;
    private readonly Counter<long> _counter;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private long _count;

    /// <summary>Creates the counter on the <see cref="IngestMeters.Pipeline"/> meter.</summary>
    public AbortedBodies(IMeterFactory meterFactory, ILogger<AbortedBodies> logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _logger = logger;
        _counter = meterFactory.Create(IngestMeters.Pipeline).CreateCounter<long>(
            IngestMeters.HttpAbortedBodies, "{request}", "Request bodies not read to their end (client too slow, gone or broken framing), by reason");
    }

    /// <summary>Bodies reported since start.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Counts a body of <paramref name="context"/> that failed, and logs it unless its connection already did.</summary>
    /// <param name="context">The request.</param>
    /// <param name="timedOut">True when the client sent too slowly (408), false when it went away or broke the framing.</param>
    /// <param name="detail">What failed (the exception's message; no stack trace).</param>
    public void Report(HttpContext context, bool timedOut, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        Interlocked.Increment(ref _count);
        _counter.Add(1, new KeyValuePair<string, object?>("reason", timedOut ? "timeout" : "aborted"));
        if (FirstFor(context.Connection.Id))
        {
            LogAborted(_logger, context.Request.Method, context.Request.Path.Value, context.Connection.Id,
                context.Connection.RemoteIpAddress?.ToString(), timedOut ? "too slow" : "aborted", detail);
        }
    }

    private bool FirstFor(string connectionId)
    {
        lock (_gate)
        {
            if (!_seen.Add(connectionId))
            {
                return false;
            }

            _order.Enqueue(connectionId);
            if (_order.Count > RememberedConnections)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Method} {Path}: request body {Outcome} on connection {ConnectionId} from {RemoteAddress}: {Detail} (logged once per connection; counted in reactiveingest.http.aborted_bodies)")]
    private static partial void LogAborted(ILogger logger, string method, string? path, string connectionId, string? remoteAddress, string outcome, string detail);
}
