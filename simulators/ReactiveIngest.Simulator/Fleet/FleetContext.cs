using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Rate;

namespace ReactiveIngest.Simulator.Fleet;

/// <summary>What a shard's connections share: options, clock, counters, latency and the shard's recorder.</summary>
internal sealed record FleetContext(FleetOptions Options, TimeProvider Time, FleetStats Stats, LatencyRecorder Latency, GroundTruthRecorder Recorder);
