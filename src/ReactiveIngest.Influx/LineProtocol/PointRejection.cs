using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>Why a point cannot be written as line protocol (or why the server refused it).</summary>
/// <param name="Reason">The dead-letter reason code.</param>
/// <param name="Detail">Which part of the point is wrong, or the server's message.</param>
public sealed record PointRejection(RejectReason Reason, string Detail);
