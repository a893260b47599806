using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using Xunit;

namespace ReactiveIngest.Core.Tests.Codecs;

public sealed class TopicTemplateTests
{
    [Fact]
    public void A_matching_topic_should_yield_the_device_id_and_tags()
    {
        var template = TopicTemplate.Parse("sites/{site}/devices/{deviceId}/telemetry");

        Assert.True(template.TryMatch("sites/berlin/devices/d7/telemetry", out var match));
        Assert.Equal("d7", match.DeviceId);
        Assert.Equal(TagSet.Create(("site", "berlin")), match.Tags);
        Assert.Equal(["site", "deviceId"], template.Placeholders);
    }

    [Theory]
    [InlineData("sites/berlin/devices/d7")]
    [InlineData("sites/berlin/devices/d7/telemetry/extra")]
    [InlineData("sites/berlin/gadgets/d7/telemetry")]
    [InlineData("sites//devices/d7/telemetry")]
    [InlineData("sites/berlin/devices//telemetry")]
    [InlineData("Sites/berlin/devices/d7/telemetry")]
    [InlineData("")]
    public void A_topic_with_other_levels_should_not_match(string topic)
    {
        var template = TopicTemplate.Parse("sites/{site}/devices/{deviceId}/telemetry");

        Assert.False(template.TryMatch(topic, out var match));
        Assert.Null(match);
    }

    [Fact]
    public void A_plus_should_match_one_level_without_capturing()
    {
        var template = TopicTemplate.Parse("+/{deviceId}");

        Assert.True(template.TryMatch("anything/d1", out var match));
        Assert.Equal(new TopicMatch("d1", TagSet.Empty), match);
        Assert.False(template.TryMatch("a/b/d1", out _));
    }

    [Theory]
    [InlineData("devices/d1", true)]
    [InlineData("devices/d1/a/b/c", true)]
    [InlineData("other/d1", false)]
    public void A_trailing_hash_should_match_any_remaining_levels(string topic, bool matches)
    {
        var template = TopicTemplate.Parse("devices/{deviceId}/#");

        Assert.Equal(matches, template.TryMatch(topic, out var match));
        if (matches)
        {
            Assert.Equal("d1", match!.DeviceId);
        }
    }

    [Fact]
    public void Repeated_matches_should_return_the_cached_result()
    {
        var template = TopicTemplate.Parse("d/{deviceId}");

        template.TryMatch("d/x", out var first);
        template.TryMatch("d/x", out var second);

        Assert.Same(first, second);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/#/b")]
    [InlineData("a/{}/b")]
    [InlineData("a/dev-{deviceId}")]
    [InlineData("{site}/{site}")]
    public void Invalid_templates_should_be_refused_with_a_reason(string template)
    {
        Assert.False(TopicTemplate.TryParse(template, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Throws<FormatException>(() => TopicTemplate.Parse(template));
    }
}
