using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

/// <summary>HTTP requests answered 202 survive a restart in the journal; a damaged journal does not stop the service.</summary>
public sealed class JournalRecoverySpec
{
    private static WebApplicationFactory<Program> Host(string journal) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting(TestJournalDirectory.Key, journal));

    private static RawMessage Reading(int i) =>
        new(Encoding.UTF8.GetBytes($$"""{"deviceId":"r{{i}}","ts":{{DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds()}},"temperature":{{i}}}"""),
            new MessageContext(string.Empty, UnixTime.Now()), HttpCodecs.JsonSource);

    private static async Task<bool> KnowsDeviceAsync(HttpClient client, string device) =>
        (await client.GetAsync(new Uri($"/api/devices/{device}/latest", UriKind.Relative))).StatusCode == HttpStatusCode.OK;

    [Fact]
    public async Task The_service_should_start_on_a_damaged_journal_report_the_damage_and_replay_the_valid_entries()
    {
        var root = TestJournalDirectory.New();
        var directory = Path.Combine(root, SourceJournals.DirectoryName(HttpCodecs.JsonSource));
        long tail;
        await using (var journal = SourceJournal.Open(new JournalSettings(directory, HttpCodecs.JsonSource)))
        {
            for (var i = 0; i < 40; i++)
            {
                await journal.AppendAsync(Reading(i));
            }

            tail = journal.Statistics.TailAddress;
        }

        await using (var file = new FileStream(Path.Combine(directory, "log.0"), FileMode.Open, FileAccess.Write))
        {
            file.Seek(tail - 60, SeekOrigin.Begin);
            await file.WriteAsync(Enumerable.Repeat((byte)0xAB, 50).ToArray());
        }

        await using var host = Host(root);
        using var client = host.CreateClient();
        var journals = host.Services.GetRequiredService<SourceJournals>();
        var damage = Assert.Single(journals.For(HttpCodecs.JsonSource).Damage);
        Assert.Equal(Path.Combine(directory, "log.0"), damage.File);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await KnowsDeviceAsync(client, "r0") || !await KnowsDeviceAsync(client, "r30"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the valid entries never reached the live view");
            await Task.Delay(100);
        }

        var status = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/status", UriKind.Relative))).RootElement;
        var http = status.GetProperty("journals").EnumerateArray().Single(j => j.GetProperty("source").GetString() == HttpCodecs.JsonSource);
        Assert.Equal(1, http.GetProperty("damaged").GetInt32());
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("reactiveingest_journal_damaged", metrics, StringComparison.Ordinal);
    }
}
