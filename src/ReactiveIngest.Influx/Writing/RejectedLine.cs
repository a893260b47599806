using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Influx.Writing;

/// <summary>A line of a batch that InfluxDB refused.</summary>
/// <param name="Index">The line's index in the batch.</param>
/// <param name="Reason">The dead-letter reason.</param>
/// <param name="Message">InfluxDB's message for the request that isolated this line.</param>
public readonly record struct RejectedLine(int Index, RejectReason Reason, string Message);
