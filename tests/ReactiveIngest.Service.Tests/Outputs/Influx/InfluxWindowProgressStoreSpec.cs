using ReactiveIngest.Influx.Query;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Service.Outputs.Influx;
using ReactiveIngest.TestSupport.Servers;
using Xunit;

namespace ReactiveIngest.Service.Tests.Outputs.Influx;

/// <summary>The InfluxDB window progress store against a real influxd.</summary>
public sealed class InfluxWindowProgressStoreSpec(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task Saved_progress_should_load_back_per_window_and_partition_and_a_later_save_should_replace_it()
    {
        var db = await influx.Server.CreateDatabaseAsync("progress");
        var options = new InfluxWriterOptions { Url = influx.Server.BaseAddress, Database = db, Gzip = false };
        using var writer = new InfluxWriter(options);
        using var query = new InfluxQueryClient(options);
        var store = new InfluxWindowProgressStore(writer, query, options);

        Assert.Null(await store.LoadAsync("10s", "kafka:g:t:0"));
        await store.SaveAsync("10s", [new("kafka:g:t:0", 1_000), new("kafka:g:t:1", 2_000)]);
        await store.SaveAsync("1m", [new("kafka:g:t:0", 5)]);
        await store.SaveAsync("10s", [new("kafka:g:t:0", 3_000)]);

        Assert.Equal(3_000, await store.LoadAsync("10s", "kafka:g:t:0"));
        Assert.Equal(2_000, await store.LoadAsync("10s", "kafka:g:t:1"));
        Assert.Equal(5, await store.LoadAsync("1m", "kafka:g:t:0"));
        Assert.Null(await store.LoadAsync("10s", "kafka:g:t:2"));

        // One point per (window, partition): saves overwrite instead of accumulating.
        var count = await influx.Server.QueryAsync($"SELECT count(\"final_watermark\") FROM \"{InfluxWindowProgressStore.Measurement}\"", db);
        Assert.Contains("[\"1970-01-01T00:00:00Z\",3]", count, StringComparison.Ordinal);
    }
}
