using ReactiveIngest.TestSupport.Journal;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Outputs.DeadLetters;
using Xunit;

namespace ReactiveIngest.Service.Tests.Outputs.DeadLetters;

public sealed class DeadLetterFileSpec : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ri-deadletters-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static byte[] Record(int i) => Encoding.UTF8.GetBytes($"{{\"n\":{i},\"pad\":\"{new string('x', 90)}\"}}");

    private static int NumberOf(string line) => JsonDocument.Parse(line).RootElement.GetProperty("n").GetInt32();

    [Fact]
    public void Rotation_should_keep_at_most_max_files_of_at_most_max_bytes_holding_the_newest_records_in_order()
    {
        var options = new FileDeadLetterOptions { Path = Path.Combine(_directory, "sub", "dl.jsonl"), MaxFileBytes = 1024, MaxFiles = 3 };
        using var file = new DeadLetterFile(options);
        for (var i = 0; i < 200; i += 4)
        {
            file.Append([Record(i), Record(i + 1), Record(i + 2), Record(i + 3)]);
        }

        var files = file.Files();
        Assert.Equal(3, files.Count);
        Assert.Equal(Path.Combine(_directory, "sub", "dl.jsonl"), files[0]);
        Assert.Equal(Path.Combine(_directory, "sub", "dl.1.jsonl"), files[1]);
        Assert.Equal(Path.Combine(_directory, "sub", "dl.2.jsonl"), files[2]);
        Assert.False(File.Exists(Path.Combine(_directory, "sub", "dl.3.jsonl")));
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 1024));

        // Oldest file first, then the active one: consecutive numbers ending with the last record written.
        var kept = files.Reverse().SelectMany(File.ReadAllLines).Select(NumberOf).ToList();
        Assert.Equal(199, kept[^1]);
        Assert.Equal(Enumerable.Range(kept[0], kept.Count), kept);
        Assert.True(kept.Count < 200, "rotation should have deleted the oldest records");
    }

    [Fact]
    public void Reopening_should_cut_off_a_torn_last_line_and_keep_appending_after_the_complete_ones()
    {
        var path = Path.Combine(_directory, "dl.jsonl");
        using (var file = new DeadLetterFile(new FileDeadLetterOptions { Path = path }))
        {
            file.Append([Record(1), Record(2)]);
        }

        File.AppendAllText(path, "{\"n\":3,\"pad\":\"xx"); // a crash in the middle of a write
        using (var file = new DeadLetterFile(new FileDeadLetterOptions { Path = path }))
        {
            file.Append([Record(3)]);
        }

        Assert.Equal([1, 2, 3], File.ReadAllLines(path).Select(NumberOf));
    }

    [Theory]
    [InlineData("File", "ReactiveIngest:DeadLetters:File:Path")]
    [InlineData("Kafka", "ReactiveIngest:DeadLetters:Kafka:Topic")]
    [InlineData("Mqtt", "ReactiveIngest:DeadLetters:Mqtt:Connection:ClientId")]
    public void A_target_without_its_required_settings_should_fail_at_start_naming_the_key(string target, string key)
    {
        using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.UseSetting("ReactiveIngest:DeadLetters:Target", target);
            b.UseSetting("ReactiveIngest:DeadLetters:Mqtt:Topic", "dead");
            b.UseSetting("ReactiveIngest:DeadLetters:Kafka:BootstrapServers", "127.0.0.1:1");
        });
        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_dead_letter_setting_should_be_reported_at_once()
    {
        var result = new DeadLetterOptionsValidator().Validate(null, new DeadLetterOptions
        {
            Target = DeadLetterTargetKind.Mqtt,
            MaxInFlight = 0,
            Mqtt = new MqttDeadLetterOptions { Topic = "dead/#", Qos = MQTTnet.Protocol.MqttQualityOfServiceLevel.AtMostOnce },
        });
        Assert.True(result.Failed);
        var message = string.Join("\n", result.Failures);
        Assert.Contains("ReactiveIngest:DeadLetters:MaxInFlight", message, StringComparison.Ordinal);
        Assert.Contains("ReactiveIngest:DeadLetters:Mqtt:Topic", message, StringComparison.Ordinal);
        Assert.Contains("ReactiveIngest:DeadLetters:Mqtt:Qos", message, StringComparison.Ordinal);
        Assert.Contains("ReactiveIngest:DeadLetters:Mqtt:Connection:ClientId", message, StringComparison.Ordinal);
    }
}
