using ReactiveIngest.Service.Cli;
using Xunit;

namespace ReactiveIngest.Service.Tests.Cli;

/// <summary>Arguments a command does not know must be configuration overrides; anything else is a usage error, not ignored.</summary>
public sealed class HostArgumentsSpec
{
    [Fact]
    public void Every_form_the_host_reads_should_be_accepted()
    {
        Assert.Empty(HostArguments.Problems(["--ReactiveIngest:Influx:Url=http://127.0.0.1:8086", "--contentRoot", "/srv/app", "/environment=Staging", "ReactiveIngest:Demo:Devices=5"]));
    }

    [Theory]
    [InlineData("dmeo")]
    [InlineData("-x")]
    [InlineData("-x=1")]
    [InlineData("--=1")]
    [InlineData("--ReactiveIngest:Influx:Url")]
    public void An_argument_the_host_would_ignore_should_be_a_problem(string argument)
    {
        var problem = Assert.Single(HostArguments.Problems([argument]));
        Assert.Contains($"'{argument}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_given_in_any_form_should_count_as_set()
    {
        Assert.True(HostArguments.Sets(["--contentroot=/srv"], "contentRoot"));
        Assert.True(HostArguments.Sets(["/webroot", "/srv/www"], "webroot"));
        Assert.False(HostArguments.Sets(["--ReactiveIngest:Http:Urls=http://127.0.0.1:1"], "contentRoot"));
    }
}
