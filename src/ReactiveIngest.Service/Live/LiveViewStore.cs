using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Service.Live;

/// <summary>
/// The recent past, in memory: devices and their latest values, and the last window results per series, a series
/// being (device, metric, window definition), so the results of a 10 s and a 1 min window of one device and metric
/// are kept apart. Everything is bounded (see <see cref="LiveViewOptions"/>); what is forgotten is counted. The
/// pipeline writes, the API reads; both may run concurrently.
/// </summary>
public sealed class LiveViewStore
{
    private readonly object _gate = new();
    private readonly LiveViewOptions _options;
    private readonly LruMap<string, DeviceState> _devices;
    private readonly LruMap<(string Device, string Metric, string Window), SeriesResults> _series;
    private readonly List<Subscriber> _subscribers = [];
    private long _resultsAccepted;
    private DateTimeOffset? _newestWindowEnd;

    /// <summary>Creates the store with its limits.</summary>
    public LiveViewStore(IOptions<LiveViewOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _devices = new LruMap<string, DeviceState>(_options.MaxDevices, StringComparer.Ordinal);
        _series = new LruMap<(string, string, string), SeriesResults>(_options.MaxSeries);
    }

    /// <summary>Devices forgotten because <see cref="LiveViewOptions.MaxDevices"/> was reached.</summary>
    public long DevicesEvicted { get { lock (_gate) { return _devices.Evicted; } } }

    /// <summary>Series forgotten because <see cref="LiveViewOptions.MaxSeries"/> was reached (the least recently updated goes first).</summary>
    public long SeriesEvicted { get { lock (_gate) { return _series.Evicted; } } }

    /// <summary>Series held now.</summary>
    public int SeriesCount { get { lock (_gate) { return _series.Count; } } }

    /// <summary>The latest window end of any result accepted, or null before the first.</summary>
    public DateTimeOffset? NewestWindowEnd { get { lock (_gate) { return _newestWindowEnd; } } }

    /// <summary>Window results accepted so far.</summary>
    public long ResultsAccepted => Interlocked.Read(ref _resultsAccepted);

    /// <summary>Live-stream events dropped for slow clients.</summary>
    public long StreamEventsDropped { get { lock (_gate) { return _subscribers.Sum(s => s.Dropped); } } }

    /// <summary>Records readings: last-seen time and latest value per metric.</summary>
    public void RecordReadings(IReadOnlyList<Reading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        lock (_gate)
        {
            // The readings of one message usually share a device: look it up (and touch its LRU entry) once per run.
            DeviceState? device = null;
            string? deviceId = null;
            for (var i = 0; i < readings.Count; i++)
            {
                var r = readings[i];
                if (device is null || !string.Equals(deviceId, r.DeviceId, StringComparison.Ordinal))
                {
                    deviceId = r.DeviceId;
                    device = _devices.GetOrAdd(deviceId, static _ => new DeviceState());
                }

                if (r.TimestampNs >= device.LastSeenNs)
                {
                    device.LastSeenNs = r.TimestampNs;
                }

                ref var latest = ref CollectionsMarshal.GetValueRefOrNullRef(device.Latest, r.Metric);
                if (Unsafe.IsNullRef(ref latest))
                {
                    if (device.Latest.Count < 256)
                    {
                        device.Latest.Add(r.Metric, (r.Value, r.TimestampNs));
                    }
                }
                else if (r.TimestampNs >= latest.TimestampNs)
                {
                    latest = (r.Value, r.TimestampNs);
                }
            }
        }
    }

    /// <summary>Records a window result (a re-emitted window replaces the earlier result) and fans it out to live-stream clients.</summary>
    public void RecordWindow(WindowResultView result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            _series.GetOrAdd((result.DeviceId, result.Metric, result.Window), key => new SeriesResults(key.Device, key.Metric, key.Window, _options.ResultsPerSeries)).Put(result);
            if (_newestWindowEnd is null || result.WindowEnd > _newestWindowEnd)
            {
                _newestWindowEnd = result.WindowEnd;
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(result);
            }
        }

        Interlocked.Increment(ref _resultsAccepted);
    }

    /// <summary>Known devices, most recently seen first.</summary>
    public IReadOnlyList<DeviceView> Devices(int limit)
    {
        lock (_gate)
        {
            return _devices.Entries.Select(e => ToView(e.Key, e.Value)).OrderByDescending(d => d.LastSeen).Take(limit).ToList();
        }
    }

    /// <summary>One device, or null when unknown.</summary>
    public DeviceView? Device(string deviceId)
    {
        lock (_gate)
        {
            return _devices.TryGet(deviceId, out var state) ? ToView(deviceId, state) : null;
        }
    }

    /// <summary>Window results for a series in [from, to), oldest first.</summary>
    public IReadOnlyList<WindowResultView> Windows(string deviceId, string metric, string window, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_gate)
        {
            return _series.TryGet((deviceId, metric, window), out var series) ? series.Between(from, to) : [];
        }
    }

    /// <summary>The earliest window start still held for a series, or null.</summary>
    public DateTimeOffset? OldestWindowStart(string deviceId, string metric, string window)
    {
        lock (_gate)
        {
            return _series.TryGet((deviceId, metric, window), out var series) ? series.Oldest?.WindowStart : null;
        }
    }

    /// <summary>The latest final result per device for a metric and window spec.</summary>
    public IReadOnlyList<WindowResultView> LatestPerDevice(string metric, string window)
    {
        lock (_gate)
        {
            var latest = new List<WindowResultView>();
            foreach (var (key, series) in _series.Entries)
            {
                if (string.Equals(key.Metric, metric, StringComparison.Ordinal) && string.Equals(key.Window, window, StringComparison.Ordinal)
                    && series.NewestFinal is { } result)
                {
                    latest.Add(result);
                }
            }

            return latest;
        }
    }

    /// <summary>
    /// The series held, most recently updated first, optionally only those of one metric and/or window definition,
    /// at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<SeriesView> Series(string? metric, string? window, int limit)
    {
        lock (_gate)
        {
            var list = new List<SeriesView>();
            foreach (var (key, series) in _series.Entries)
            {
                if (list.Count >= limit)
                {
                    break;
                }

                if ((metric is null || string.Equals(key.Metric, metric, StringComparison.Ordinal))
                    && (window is null || string.Equals(key.Window, window, StringComparison.Ordinal))
                    && series.Newest is { } newest)
                {
                    list.Add(new SeriesView(key.Device, key.Metric, key.Window, series.Count, newest.WindowEnd));
                }
            }

            return list;
        }
    }

    /// <summary>Subscribes to new window results; null when the client limit is reached.</summary>
    public ChannelReader<WindowResultView>? Subscribe(Func<WindowResultView, bool> filter, CancellationToken cancellationToken)
    {
        var subscriber = new Subscriber(filter, _options.StreamBufferPerClient);
        lock (_gate)
        {
            if (_subscribers.Count >= _options.MaxStreamClients)
            {
                return null;
            }

            _subscribers.Add(subscriber);
        }

        cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(subscriber);
            }

            subscriber.Complete();
        });
        return subscriber.Reader;
    }

    private static DeviceView ToView(string deviceId, DeviceState state) =>
        new(deviceId, UnixTime.ToDateTimeOffset(state.LastSeenNs),
            state.Latest.ToDictionary(kv => kv.Key, kv => new LatestValue(kv.Value.Value, UnixTime.ToDateTimeOffset(kv.Value.TimestampNs)), StringComparer.Ordinal));

    private sealed class DeviceState
    {
        public long LastSeenNs { get; set; } = long.MinValue;

        public Dictionary<string, (double Value, long TimestampNs)> Latest { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Subscriber(Func<WindowResultView, bool> filter, int capacity)
    {
        private readonly Channel<WindowResultView> _channel = Channel.CreateBounded<WindowResultView>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public long Dropped { get; private set; }

        public ChannelReader<WindowResultView> Reader => _channel.Reader;

        public void Offer(WindowResultView result)
        {
            if (!filter(result))
            {
                return;
            }

            if (_channel.Reader.Count >= capacity)
            {
                Dropped++;
            }

            _channel.Writer.TryWrite(result);
        }

        public void Complete() => _channel.Writer.TryComplete();
    }
}
