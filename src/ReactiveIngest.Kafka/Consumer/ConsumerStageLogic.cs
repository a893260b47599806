using Akka.Streams;
using Akka.Streams.Stage;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// What both Kafka source stages share: one consumer thread (<see cref="ConsumerWorker"/>), a
/// <see cref="PartitionEmitter"/> over its partitions, and commits of the released prefix on a timer and whenever a
/// batch of releases is due. The stages differ only in where a partition's records go.
/// </summary>
internal abstract class ConsumerStageLogic : TimerGraphStageLogic
{
    private const string CommitTimer = "commit";

    private readonly ReleaseSignal _signal;

    protected ConsumerStageLogic(Shape shape, ConsumerParts parts)
        : base(shape)
    {
        Settings = parts.Settings;
        Worker = parts.Worker;
        _signal = parts.Signal;
        Emitter = new PartitionEmitter(parts.Settings, parts.Worker, parts.Counters, parts.Signal);
    }

    protected KafkaConsumerSettings Settings { get; }

    protected ConsumerWorker Worker { get; }

    protected PartitionEmitter Emitter { get; }

    /// <summary>
    /// Creates the worker, counters and release signal of one materialization, the stage's logic over them, and the
    /// <see cref="IKafkaControl"/> it materializes.
    /// </summary>
    public static LogicAndMaterializedValue<IKafkaControl> Materialize(KafkaConsumerSettings settings, Func<ConsumerParts, ConsumerStageLogic> logic)
    {
        var counters = new KafkaSourceCounters();
        var signal = new ReleaseSignal(settings.CommitBatchSize);
        var parts = new ConsumerParts(settings, new ConsumerWorker(settings, counters, signal), counters, signal);
        return new LogicAndMaterializedValue<IKafkaControl>(logic(parts), new KafkaControl(parts.Worker, counters, signal));
    }

    protected override void OnTimer(object timerKey) => CommitReleased();

    /// <summary>Starts committing on the timer and the consumer thread, which calls back through these handlers.</summary>
    protected void StartConsumer(
        Action<List<ConsumedRecord>> onRecords,
        Action<List<PartitionState>> onRevoked,
        Action<Exception> onFailed,
        Action onStopped,
        Action<List<PartitionState>>? onAssigned = null)
    {
        var callbacks = new ConsumerCallbacks(
            GetAsyncCallback(onRecords),
            GetAsyncCallback(onRevoked),
            GetAsyncCallback(onFailed),
            GetAsyncCallback(onStopped),
            onAssigned is null ? null : GetAsyncCallback(onAssigned));
        _signal.CommitDue = GetAsyncCallback(CommitReleased);
        ScheduleRepeatedly(CommitTimer, Settings.CommitInterval);
        Worker.Start(callbacks);
    }

    /// <summary>Requests a last commit of the released prefix and stops the consumer thread, which then closes the consumer.</summary>
    protected void StopConsumer()
    {
        Emitter.RequestCommits();
        _signal.CommitDue = null;
        Worker.Detach();
        Worker.RequestStop();
    }

    /// <summary>Called after each commit request: releases may have made room in partitions that were full.</summary>
    protected abstract void OnReleased();

    private void CommitReleased()
    {
        Emitter.RequestCommits();
        OnReleased();
    }
}

/// <summary>The per-materialization objects a <see cref="ConsumerStageLogic"/> is built over.</summary>
internal sealed record ConsumerParts(KafkaConsumerSettings Settings, ConsumerWorker Worker, KafkaSourceCounters Counters, ReleaseSignal Signal);
