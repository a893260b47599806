using System.Diagnostics;
using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

// Pause/resume with hysteresis: throttle above the high watermark, pause after PauseAfter, resume at the low watermark.
internal sealed partial class ConsumerWorker
{
    /// <summary>
    /// While some partition is above its high watermark the thread takes no records (librdkafka keeps
    /// its bounded prefetch). A partition that drains to the low watermark is released; one that stays
    /// above it for <see cref="KafkaConsumerSettings.PauseAfter"/> is paused in librdkafka, so that the
    /// other partitions flow again. Returns true while the thread should keep holding off.
    /// </summary>
    private bool Throttle(IConsumer<byte[]?, byte[]?> consumer)
    {
        List<PartitionState>? throttled = null;
        foreach (var state in _assigned.Values)
        {
            if (state.Throttled)
            {
                (throttled ??= []).Add(state);
            }
        }

        if (throttled is null)
        {
            return false;
        }

        WaitForWake(_settings.PollTimeout);
        var now = Stopwatch.GetTimestamp();
        List<TopicPartition>? pause = null;
        var holdOff = false;
        foreach (var state in throttled)
        {
            if (state.Waiting <= _settings.PartitionLowWatermark)
            {
                state.Throttled = false;
            }
            else if (Stopwatch.GetElapsedTime(state.ThrottledSince, now) >= _settings.PauseAfter || _stopRequested)
            {
                state.Paused = true;
                state.Throttled = false;
                _counters.Paused();
                (pause ??= []).Add(state.TopicPartition);
            }
            else
            {
                holdOff = true;
            }
        }

        if (pause is not null)
        {
            consumer.Pause(pause);
        }

        return holdOff;
    }

    private void ResumeDrained(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_rebalanceHoldUntil != 0)
        {
            if (Stopwatch.GetTimestamp() < _rebalanceHoldUntil)
            {
                return;
            }

            _rebalanceHoldUntil = 0;
        }

        List<TopicPartition>? resume = null;
        foreach (var state in _assigned.Values)
        {
            if (state.Paused && state.Waiting <= _settings.PartitionLowWatermark)
            {
                state.Paused = false;
                _counters.Resumed();
                (resume ??= []).Add(state.TopicPartition);
            }
        }

        if (resume is not null)
        {
            consumer.Resume(resume);
        }
    }
}
