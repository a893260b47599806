using ReactiveIngest.Simulator.Devices;
using ReactiveIngest.Simulator.Faults;
using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Payloads;

namespace ReactiveIngest.Simulator.Fleet;

/// <summary>
/// One device during a run: turns each slot into zero or more messages (applying value and delivery faults)
/// and keeps what it cannot send yet — an out-of-order reading held for one slot, late readings until their
/// release time, and readings produced while offline. Every queue is bounded by the offline buffer limit; beyond it
/// the oldest reading is discarded and counted.
/// </summary>
internal sealed class SimulatedDevice
{
    private readonly object _gate = new();
    private readonly Queue<OutgoingMessage> _offline = new();
    private readonly Queue<OutgoingMessage> _late = new();
    private readonly FaultPlan _faults;
    private readonly PayloadEncoder _encoder;
    private readonly GroundTruthRecorder _recorder;
    private readonly FleetStats _stats;
    private OutgoingMessage? _held;
    private int _offlineCount;

    public SimulatedDevice(DeviceIdentity identity, IDeviceModel model, int connection, FaultPlan faults, PayloadEncoder encoder, GroundTruthRecorder recorder, FleetStats stats)
    {
        Identity = identity;
        Model = model;
        Connection = connection;
        _faults = faults;
        _encoder = encoder;
        _recorder = recorder;
        _stats = stats;
        ClockSkewMs = faults.ClockSkewMs(identity.Index);
        recorder.RegisterDevice(identity, ClockSkewMs);
        Ledger = recorder.LedgerOf(identity.DeviceId);
    }

    /// <summary>The device's ground-truth ledger in its shard's recorder.</summary>
    public GroundTruthRecorder.DeviceLedger Ledger { get; }

    public DeviceIdentity Identity { get; }

    public IDeviceModel Model { get; }

    /// <summary>The index of the connection the device publishes through.</summary>
    public int Connection { get; }

    public long ClockSkewMs { get; }

    /// <summary>Readings waiting for the device to be online again (read without the lock: a hint for the sender loop).</summary>
    public int OfflineCount => Volatile.Read(ref _offlineCount);

    /// <summary>Produces the messages of reading <paramref name="sequence"/> intended at <paramref name="intendedUs"/> into <paramref name="output"/>.</summary>
    public void Generate(long sequence, long intendedUs, List<OutgoingMessage> output)
    {
        var index = Identity.Index;
        var timeMs = intendedUs / 1000;
        var values = new double[Model.Metrics.Count];
        var stuckSince = _faults.StuckSince(index, timeMs);
        Model.Sample(stuckSince ?? timeMs, values);
        if (stuckSince is not null)
        {
            _recorder.RecordValueFault("stuck");
        }

        if (_faults.IsSpike(index, sequence))
        {
            values[0] *= _faults.Options.SpikeFactor;
            _recorder.RecordValueFault("spike");
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Round(values[i], Model.Decimals);
        }

        var timestampMs = timeMs + ClockSkewMs;
        var heldBefore = _held;
        _held = null;
        switch (_faults.Delivery(index, sequence))
        {
            case DeliveryFault.Malformed:
                var kind = _faults.MalformedKindOf(index, sequence);
                output.Add(new OutgoingMessage(this, _encoder.EncodeMalformed(kind, Identity, timestampMs, Model.Metrics, values), null, timestampMs, InjectionKind.Malformed, kind.ToString()));
                break;
            case DeliveryFault.Duplicate:
                var payload = _encoder.Encode(Identity, timestampMs, Model.Metrics, values);
                var reading = new ReadingRecord(timestampMs, values);
                output.Add(new OutgoingMessage(this, payload, reading, timestampMs, null));
                output.Add(new OutgoingMessage(this, payload, reading, timestampMs, InjectionKind.Duplicate));
                break;
            case DeliveryFault.OutOfOrder when heldBefore is null:
                _held = Valid(timestampMs, values, InjectionKind.OutOfOrder);
                break;
            case DeliveryFault.Late when _late.Count < _faults.Options.OfflineBufferLimit:
                _late.Enqueue(new OutgoingMessage(this, _encoder.Encode(Identity, timestampMs, Model.Metrics, values), new ReadingRecord(timestampMs, values), timestampMs, InjectionKind.Late)
                {
                    ReleaseUs = intendedUs + (_faults.Options.LateByMs * 1000L),
                });
                break;
            default:
                output.Add(Valid(timestampMs, values, null));
                break;
        }

        if (heldBefore is not null)
        {
            output.Add(heldBefore);
        }

        while (_late.TryPeek(out var late) && late.ReleaseUs <= intendedUs)
        {
            output.Add(_late.Dequeue());
        }
    }

    /// <summary>Everything still held (out-of-order, late, offline), for the end of the run.</summary>
    public void TakeAllPending(List<OutgoingMessage> output)
    {
        TakeOffline(output);
        if (_held is not null)
        {
            output.Add(_held);
            _held = null;
        }

        while (_late.TryDequeue(out var late))
        {
            output.Add(late);
        }
    }

    /// <summary>Keeps messages produced while offline (or that failed with the connection), discarding the oldest beyond the limit.</summary>
    public void KeepOffline(OutgoingMessage message)
    {
        if (!_faults.Options.OfflineBuffering)
        {
            Discard();
            return;
        }

        lock (_gate)
        {
            _offline.Enqueue(message);
            if (_offline.Count > _faults.Options.OfflineBufferLimit)
            {
                _offline.Dequeue();
                Discard();
            }

            Volatile.Write(ref _offlineCount, _offline.Count);
        }
    }

    /// <summary>Moves the offline buffer into <paramref name="output"/>, marking each as an offline-batch upload.</summary>
    public void TakeOffline(List<OutgoingMessage> output)
    {
        lock (_gate)
        {
            while (_offline.TryDequeue(out var message))
            {
                message.Injection ??= InjectionKind.OfflineBatch;
                output.Add(message);
            }

            Volatile.Write(ref _offlineCount, 0);
        }
    }

    private void Discard()
    {
        _stats.OnDiscarded();
        _recorder.RecordDiscarded(Identity.DeviceId);
    }

    private OutgoingMessage Valid(long timestampMs, double[] values, InjectionKind? injection) =>
        new(this, _encoder.Encode(Identity, timestampMs, Model.Metrics, values), new ReadingRecord(timestampMs, values), timestampMs, injection);
}
