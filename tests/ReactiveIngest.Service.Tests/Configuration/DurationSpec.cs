using Microsoft.Extensions.Configuration;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Service.Configuration;
using ReactiveIngest.Service.Pipeline;
using Xunit;

namespace ReactiveIngest.Service.Tests.Configuration;

/// <summary>Every TimeSpan setting takes 500ms, 10s, 1m30s, 1h, 1d as well as hh:mm:ss.</summary>
public sealed class DurationSpec
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m", 60_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s4ms", 3_723_004)]
    [InlineData("1.5s", 1_500)]
    [InlineData(" 2m ", 120_000)]
    [InlineData("-5s", -5_000)]
    [InlineData("0", 0)]
    [InlineData("00:01:00", 60_000)]
    [InlineData("1.02:00:00", 93_600_000)]
    [InlineData("00:00:00.250", 250)]
    public void A_duration_should_be_read_in_every_accepted_form(string text, long milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("1x")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("1s1m")]
    [InlineData("1m1m")]
    [InlineData("1 m")]
    [InlineData("1.2.3s")]
    [InlineData("")]
    [InlineData("99:99:99")]
    public void Anything_else_should_not_be_a_duration(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }

    [Fact]
    public void The_binder_should_read_the_short_forms_into_options_classes_and_connector_settings()
    {
        DurationConverter.Register();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:Windows:0:Size"] = "1m",
            ["Pipeline:Windows:0:Slide"] = "10s",
            ["Pipeline:AllowedLateness"] = "1m30s",
            ["Mqtt:Connection:KeepAlive"] = "500ms",
            ["Mqtt:SessionExpiry"] = "1d",
        }).Build();

        var pipeline = configuration.GetSection("Pipeline").Get<PipelineOptions>()!;
        var mqtt = configuration.GetSection("Mqtt").Get<MqttSourceSettings>()!;

        var window = Assert.Single(pipeline.Windows);
        Assert.Equal(TimeSpan.FromMinutes(1), window.Size);
        Assert.Equal(TimeSpan.FromSeconds(10), window.Slide);
        Assert.Equal(TimeSpan.FromSeconds(90), pipeline.AllowedLateness);
        Assert.Equal(TimeSpan.FromMilliseconds(500), mqtt.Connection.KeepAlive);
        Assert.Equal(TimeSpan.FromDays(1), mqtt.SessionExpiry);
    }

    [Fact]
    public void The_configuration_reference_should_name_the_accepted_forms()
    {
        Assert.Contains(Duration.Forms, ConfigurationReference.Markdown(), StringComparison.Ordinal);
        Assert.Equal("duration", Assert.Single(ConfigurationReference.Keys(), k => k.Path == "ReactiveIngest:Pipeline:AllowedLateness").Type);
    }
}
