using System.Reactive.Subjects;
using System.Runtime.ExceptionServices;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Decoding;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// Drives several Rx pipelines synchronously: each reading of a batch is pushed into the pipelines of its metric
/// (and device filter), and what they emit while the batch is pushed is collected and returned. Rx never runs on its
/// own here — it only reacts inside <see cref="Push"/>, which the Rx transform stage calls per stream element, so
/// downstream demand still governs. The built-in transforms used here are synchronous (no scheduler), so nothing is
/// emitted between batches. Not thread-safe: one instance per materialization.
/// </summary>
internal sealed class ReadingRouter<TOut> : IDisposable
{
    private readonly Dictionary<string, Input[]> _byMetric;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly List<TOut> _emitted = [];
    private Exception? _failure;

    public ReadingRouter(IEnumerable<ReadingRoute<TOut>> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var inputs = new List<(string Metric, Input Input)>();
        foreach (var route in routes)
        {
            var subject = new Subject<Reading>();
            _subscriptions.Add(route.Transform(subject).Subscribe(_emitted.Add, e => _failure ??= e));
            inputs.Add((route.Metric, new Input(subject, route.Devices)));
        }

        _byMetric = inputs.GroupBy(i => i.Metric, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(i => i.Input).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Pushes the batch's readings in order and returns what the pipelines emitted (a new array; empty when nothing).
    /// At most one output per reading and route for the built-in transforms, so the result is bounded by the batch.
    /// </summary>
    /// <remarks>When a pipeline failed (its Rx chain is dead then), its error is rethrown as is, so that the dead letter
    /// of the batch names it; the router is unusable afterwards and is rebuilt with the chain that owns it.</remarks>
    public TOut[] Push(ReadingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _emitted.Clear();
        foreach (ref readonly var reading in batch.AsSpan())
        {
            if (!_byMetric.TryGetValue(reading.Metric, out var inputs))
            {
                continue;
            }

            foreach (var input in inputs)
            {
                if (input.Devices is null || input.Devices.Contains(reading.DeviceId))
                {
                    input.Subject.OnNext(reading);
                }
            }

            if (_failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }

        return _emitted.Count == 0 ? [] : [.. _emitted];
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        foreach (var inputs in _byMetric.Values)
        {
            foreach (var input in inputs)
            {
                input.Subject.Dispose();
            }
        }
    }

    private sealed record Input(Subject<Reading> Subject, IReadOnlySet<string>? Devices);
}
