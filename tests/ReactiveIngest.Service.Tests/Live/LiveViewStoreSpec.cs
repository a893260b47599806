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

    private static WindowResultView Result(string device, string metric, string window, int index, double mean = 0, bool final = true) => new()
    {
        DeviceId = device,
        Metric = metric,
        Window = window,
        WindowStart = DateTimeOffset.UnixEpoch.AddSeconds(index * 10),
        WindowEnd = DateTimeOffset.UnixEpoch.AddSeconds((index * 10) + 10),
        Count = 1,
        Mean = mean,
        Final = final,
    };

    [Fact]
    public void Results_of_two_window_definitions_of_one_device_and_metric_should_be_kept_apart()
    {
        var store = new LiveViewStore(Options.Create(new LiveViewOptions()));
        store.RecordWindow(Result("d", "m", "10s", 0, mean: 1));
        store.RecordWindow(Result("d", "m", "1m", 0, mean: 2));
        store.RecordWindow(Result("d", "m", "10s", 1, mean: 3));

        Assert.Equal([1.0, 3.0], store.Windows("d", "m", "10s", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)).Select(r => r.Mean));
        Assert.Equal([2.0], store.Windows("d", "m", "1m", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)).Select(r => r.Mean));
        Assert.Equal(2, store.SeriesCount);
    }

    [Fact]
    public void A_reemitted_window_should_replace_its_result_and_an_out_of_order_one_should_be_kept_in_window_start_order()
    {
        var store = new LiveViewStore(Options.Create(new LiveViewOptions { ResultsPerSeries = 4 }));
        store.RecordWindow(Result("d", "m", "10s", 0, mean: 0));
        store.RecordWindow(Result("d", "m", "10s", 2, mean: 2, final: false));
        store.RecordWindow(Result("d", "m", "10s", 1, mean: 1));
        store.RecordWindow(Result("d", "m", "10s", 2, mean: 20));

        var kept = store.Windows("d", "m", "10s", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1));
        Assert.Equal([0.0, 1.0, 20.0], kept.Select(r => r.Mean));
        Assert.True(kept[2].Final);
        Assert.Equal(DateTimeOffset.UnixEpoch, store.OldestWindowStart("d", "m", "10s"));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(30), store.NewestWindowEnd);
    }

    [Fact]
    public void The_store_should_drop_the_least_recently_updated_series_when_full_and_count_it()
    {
        var store = new LiveViewStore(Options.Create(new LiveViewOptions { MaxSeries = 2 }));
        store.RecordWindow(Result("a", "m", "10s", 0));
        store.RecordWindow(Result("b", "m", "10s", 0));
        store.RecordWindow(Result("a", "m", "10s", 1)); // a is now the most recently updated
        store.RecordWindow(Result("c", "m", "10s", 0)); // full: b goes

        Assert.Equal(1, store.SeriesEvicted);
        Assert.Equal(["c", "a"], store.Series(metric: null, window: null, limit: 10).Select(s => s.DeviceId));
        Assert.Empty(store.Windows("b", "m", "10s", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)));
        Assert.Equal(2, store.Windows("a", "m", "10s", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)).Count);
    }

    [Fact]
    public void The_default_limits_should_hold_every_series_of_the_demo_fleet_in_both_windows()
    {
        // The demo's 200 devices report about 510 (device, metric) series (512 in a run here); with some margin, 540
        // of them, each kept per window definition.
        var store = new LiveViewStore(Options.Create(new LiveViewOptions()));
        for (var window = 0; window < 10; window++)
        {
            for (var series = 0; series < 540; series++)
            {
                store.RecordWindow(Result($"dev-{series / 3:D6}", $"metric{series % 3}", "10s", window));
                store.RecordWindow(Result($"dev-{series / 3:D6}", $"metric{series % 3}", "1m", window));
            }
        }

        Assert.Equal(1080, store.SeriesCount);
        Assert.Equal(0, store.SeriesEvicted);
        Assert.Equal(180, store.LatestPerDevice("metric0", "1m").Count);
        Assert.Equal(10, store.Windows("dev-000007", "metric1", "1m", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1)).Count);
    }

    [Fact]
    public void Series_should_be_listed_for_one_metric_and_window_up_to_the_limit()
    {
        var store = new LiveViewStore(Options.Create(new LiveViewOptions()));
        store.RecordWindow(Result("a", "m", "10s", 0));
        store.RecordWindow(Result("b", "m", "10s", 0));
        store.RecordWindow(Result("b", "m", "1m", 0));
        store.RecordWindow(Result("c", "other", "10s", 0));

        Assert.Equal(["b", "a"], store.Series("m", "10s", 10).Select(s => s.DeviceId));
        Assert.Equal(["b"], store.Series("m", "10s", 1).Select(s => s.DeviceId));
        Assert.Equal(["b"], store.Series(null, "1m", 10).Select(s => s.DeviceId));
    }
}
