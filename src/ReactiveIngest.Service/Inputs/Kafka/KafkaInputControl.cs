using ReactiveIngest.Kafka.Consumer;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>Stops a Kafka source: commits the released prefix of each partition and leaves the group.</summary>
internal sealed class KafkaSourceControlAdapter(IKafkaControl control) : ISourceControl
{
    public IKafkaControl Control => control;

    public Task StopAsync(CancellationToken cancellationToken) => control.StopAsync().WaitAsync(cancellationToken);
}
