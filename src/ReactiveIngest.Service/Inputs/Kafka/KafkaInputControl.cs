using ReactiveIngest.Kafka.Consumer;

namespace ReactiveIngest.Service.Inputs.Kafka;

/// <summary>A Kafka source's control: stopping commits the released prefix of each partition and leaves the group.</summary>
internal sealed class KafkaInputControl(IKafkaControl control) : IInputControl
{
    public Task Ready => Task.CompletedTask;

    public string? Failure => control.Completion.IsFaulted ? $"failed: {control.Completion.Exception!.GetBaseException().Message}" : null;

    public long? InFlight => control.Statistics.RecordsEmitted - control.Statistics.RecordsReleased;

    public long? Lag => control.ConsumerLag;

    public IReadOnlyList<KeyValuePair<string, long>> Figures => [new("acknowledged", control.Statistics.RecordsReleased), new("kafka_lag", control.ConsumerLag)];

    public Task StopAsync(CancellationToken cancellationToken) => control.StopAsync().WaitAsync(cancellationToken);
}
