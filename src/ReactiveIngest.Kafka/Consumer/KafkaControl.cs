namespace ReactiveIngest.Kafka.Consumer;

/// <summary>The <see cref="IKafkaControl"/> of one materialized Kafka source.</summary>
internal sealed class KafkaControl : IKafkaControl
{
    private readonly ConsumerWorker _worker;
    private readonly KafkaSourceCounters _counters;
    private readonly ReleaseSignal _signal;

    public KafkaControl(ConsumerWorker worker, KafkaSourceCounters counters, ReleaseSignal signal)
    {
        _worker = worker;
        _counters = counters;
        _signal = signal;
    }

    public Task Completion => _worker.Completion;

    public KafkaSourceStatistics Statistics => _counters.Snapshot(_signal.Released, _worker.WaitingNow);

    public long ConsumerLag => _worker.ConsumerLag;

    public Task StopAsync()
    {
        _worker.RequestStop();
        return _worker.Completion;
    }
}
