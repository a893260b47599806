using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Service.Analytics;

/// <summary>An Rx pipeline fed with the readings of one metric, optionally of some devices only.</summary>
/// <param name="Metric">The metric (exact name).</param>
/// <param name="Devices">When not null, only these device ids.</param>
/// <param name="Transform">Builds the pipeline; called once per materialization, so its state is per run.</param>
internal sealed record ReadingRoute<TOut>(string Metric, IReadOnlySet<string>? Devices, Func<IObservable<Reading>, IObservable<TOut>> Transform);
