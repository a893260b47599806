using System.Net;
using System.Text.RegularExpressions;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Tests.Browser;
using Xunit;

namespace ReactiveIngest.Service.Tests.Cli;

/// <summary>The built service's command line, run as a process the way a user runs it.</summary>
public sealed partial class ServiceCommandLineSpec
{
    [Fact]
    public async Task Invalid_values_should_exit_with_2_and_one_line_per_key_without_a_stack_trace()
    {
        var result = await ServiceCommand.RunAsync(
            "--ReactiveIngest:Http:Urls=http://127.0.0.1:1",
            "--ReactiveIngest:Pipeline:Windows:0:Size=1x",
            "--ReactiveIngest:Pipeline:AllowedLatenes=1m",
            "--ReactiveIngest:Influx:BatchSize=many");

        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("ReactiveIngest:Pipeline:Windows:0:Size: '1x' is not a duration (examples: 10s, 1m, 1h, 00:01:00)", lines);
        Assert.Contains("ReactiveIngest:Pipeline:AllowedLatenes: not a configuration key; did you mean ReactiveIngest:Pipeline:AllowedLateness?", lines);
        Assert.Single(lines, l => l.StartsWith("ReactiveIngest:Influx:BatchSize: 'many' is not", StringComparison.Ordinal));
        Assert.DoesNotMatch(StackFrame(), result.Error + result.Output);
        Assert.DoesNotContain("Now listening", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_options_validator_should_exit_with_2_naming_the_key_without_a_stack_trace()
    {
        var result = await ServiceCommand.RunAsync("run", "--ReactiveIngest:Http:Urls=http://0.0.0.0:1");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("ReactiveIngest:Http:ApiKey", result.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(StackFrame(), result.Error + result.Output);
    }

    [Fact]
    public async Task Validate_should_exit_with_0_on_a_valid_configuration_without_starting()
    {
        var result = await ServiceCommand.RunAsync("validate", "--ReactiveIngest:Pipeline:Windows:0:Name=1m", "--ReactiveIngest:Pipeline:Windows:0:Size=1m", "--ReactiveIngest:Pipeline:OutOfOrderness=1m30s");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("configuration is valid", result.Output.Trim());
    }

    [Fact]
    public async Task Validate_demo_should_accept_the_demo_defaults()
    {
        var result = await ServiceCommand.RunAsync("validate", "--demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("configuration is valid", result.Output.Trim());
    }

    [Fact]
    public async Task Validate_should_exit_with_2_listing_every_problem()
    {
        var result = await ServiceCommand.RunAsync("validate", "--ReactiveIngest:Pipeline:Windows:0:Size=1x", "--ReactiveIngest:Pipeline:Windows:1:Kind=Rolling");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("ReactiveIngest:Pipeline:Windows:0:Size: '1x' is not a duration", result.Error, StringComparison.Ordinal);
        Assert.Contains("ReactiveIngest:Pipeline:Windows:1:Kind: 'Rolling' is not one of", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("configuration is valid", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_should_list_the_commands_and_exit_with_0_without_starting()
    {
        var result = await ServiceCommand.RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var command in new[] { "run", "demo", "validate", "config-reference" })
        {
            Assert.Matches($@"(?m)^\s+{command}\s", result.Output);
        }

        Assert.DoesNotContain("Now listening", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_argument_that_is_neither_a_command_nor_an_override_should_exit_with_2()
    {
        var result = await ServiceCommand.RunAsync("dmeo");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("'dmeo'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_should_print_the_version_and_exit_with_0()
    {
        var result = await ServiceCommand.RunAsync("--version");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output.Trim());
    }

    [Fact]
    public async Task The_dashboard_should_be_served_when_started_from_another_directory()
    {
        await using var service = await DemoServiceProcess.StartAsync(new Dictionary<string, string> { ["ReactiveIngest:Demo:Devices"] = "2" });
        using var http = new HttpClient { BaseAddress = service.BaseAddress };

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var embedded = LiveViewExtensions.DashboardFiles.GetFileInfo("index.html").CreateReadStream();
        using var reader = new StreamReader(embedded);
        Assert.Equal(await reader.ReadToEndAsync(), await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}
