namespace ReactiveIngest.Service.Api;

/// <summary>
/// One configured source in <c>/api/status</c>: totals since start, time held back by backpressure, and where the
/// source knows them the messages not yet acknowledged and (Kafka) the consumer lag.
/// </summary>
public sealed record SourceStatusView(string Name, long Messages, long Readings, long Rejected, double BackpressureSeconds, long? InFlight, long? KafkaLag);
