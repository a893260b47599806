using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Live;
using Xunit;

namespace ReactiveIngest.Service.Tests.Live;

public sealed class LiveViewStoreSpec
{
    [Fact]
    public void The_store_should_forget_the_least_recently_seen_device_when_full_and_count_it()
    {
        var store = new LiveViewStore(Options.Create(new LiveViewOptions { MaxDevices = 3 }));
        for (var i = 0; i < 5; i++)
        {
            store.RecordReadings([new Reading($"d{i}", "m", i, i)]);
        }

        Assert.Equal(2, store.DevicesEvicted);
        Assert.Equal(["d2", "d3", "d4"], store.Devices(10).Select(d => d.DeviceId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_series_should_keep_only_its_most_recent_results()
    {
        var store = new LiveViewStore(Options.Create(new LiveViewOptions { ResultsPerSeries = 3 }));
        var t0 = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < 10; i++)
        {
            store.RecordWindow(new WindowResultView { DeviceId = "d", Metric = "m", Window = "10s", WindowStart = t0.AddSeconds(i * 10), WindowEnd = t0.AddSeconds((i * 10) + 10), Count = i });
        }

        var kept = store.Windows("d", "m", "10s", t0, t0.AddDays(1));
        Assert.Equal([7L, 8L, 9L], kept.Select(r => r.Count));
    }

    [Fact]
    public async Task A_slow_stream_client_should_lose_its_oldest_events_and_the_loss_should_be_counted()
    {
        var store = new LiveViewStore(Options.Create(new LiveViewOptions { StreamBufferPerClient = 2 }));
        using var cts = new CancellationTokenSource();
        var reader = store.Subscribe(_ => true, cts.Token)!;
        for (var i = 0; i < 5; i++)
        {
            store.RecordWindow(new WindowResultView { DeviceId = "d", Metric = "m", Window = "10s", WindowStart = DateTimeOffset.UnixEpoch.AddSeconds(i), WindowEnd = DateTimeOffset.UnixEpoch.AddSeconds(i + 1), Count = i });
        }

        Assert.Equal(3, store.StreamEventsDropped);
        Assert.Equal(3, (await reader.ReadAsync()).Count);
        Assert.Equal(4, (await reader.ReadAsync()).Count);
        await cts.CancelAsync();
    }
}
