using System.Globalization;
using InfluxDB.Client;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

/// <summary>The InfluxDB 2 reference client (InfluxDB.Client) writing to the service over a real socket, unchanged.</summary>
public sealed class InfluxClientSpec
{
    private const string Key = "0123456789abcdef-key";

    [Fact]
    public async Task The_influxdb_client_should_ping_and_write_points_and_records_that_the_service_stores_at_their_timestamps()
    {
        var outputs = new RecordingOutputs();
        var port = FreePort.Next();
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ReactiveIngest:Http:Urls", "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            b.UseSetting("ReactiveIngest:Http:ApiKey", Key);
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.ConfigureTestServices(services => services.AddSingleton<IOutput>(outputs));
        });
        host.UseKestrel(port);
        host.StartServer();

        using var client = new InfluxDBClient(new InfluxDBClientOptions("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)) { Token = Key, Org = "acme", Bucket = "iot" });
        client.EnableGzip();
        Assert.True(await client.PingAsync());

        var ms = DateTimeOffset.UtcNow.AddSeconds(-10).ToUnixTimeMilliseconds();
        var write = client.GetWriteApiAsync();
        await write.WritePointAsync(PointData.Measurement("env").Tag("deviceId", "cl1").Field("temperature", 21.5).Timestamp(ms, WritePrecision.Ms));
        await write.WriteRecordsAsync([$"env,deviceId=cl2 humidity=40i {ms / 1000}", $"env,deviceId=cl3 pressure=1013.25 {ms / 1000}"], WritePrecision.S);

        await RecordingOutputs.EventuallyAsync(() => outputs.Stored.Count >= 3, "three readings");
        Assert.Equal(
            [("cl1", "temperature", 21.5, ms * 1_000_000), ("cl2", "humidity", 40d, ms / 1000 * 1_000_000_000), ("cl3", "pressure", 1013.25, ms / 1000 * 1_000_000_000)],
            outputs.Stored.Select(r => (r.DeviceId, r.Metric, r.Value, r.TimestampNs)).OrderBy(r => r.DeviceId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_influxdb_client_should_report_a_rejected_line_as_a_bad_request()
    {
        var port = FreePort.Next();
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ReactiveIngest:Http:Urls", "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
        });
        host.UseKestrel(port);
        host.StartServer();

        using var client = new InfluxDBClient(new InfluxDBClientOptions("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)) { Token = "unused", Org = "acme", Bucket = "iot" });
        var error = await Assert.ThrowsAsync<InfluxDB.Client.Core.Exceptions.BadRequestException>(
            () => client.GetWriteApiAsync().WriteRecordAsync("env,deviceId=cl4 temperature=", WritePrecision.Ns));
        Assert.Contains("unable to parse", error.Message, StringComparison.Ordinal);
    }
}
