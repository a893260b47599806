using ReactiveIngest.Service.Pipeline;
using Xunit;

namespace ReactiveIngest.Service.Tests.Pipeline;

public class PipelineOptionsValidatorSpec
{
    [Fact]
    public void Decode_parallelism_should_default_to_the_processor_count_and_reject_zero_naming_the_key()
    {
        var validator = new PipelineOptionsValidator();
        var defaults = new PipelineOptions();
        Assert.Equal(Math.Clamp(Environment.ProcessorCount, 1, 8), defaults.DecodeParallelism);
        Assert.True(validator.Validate(null, defaults).Succeeded);

        var result = validator.Validate(null, new PipelineOptions { DecodeParallelism = 0 });
        Assert.True(result.Failed);
        Assert.Contains("ReactiveIngest:Pipeline:DecodeParallelism", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aggregate_measurement_without_the_window_name_should_be_rejected_when_several_windows_write_to_it()
    {
        var validator = new PipelineOptionsValidator();
        WindowDefinition[] windows = [new() { Name = "10s", Size = TimeSpan.FromSeconds(10) }, new() { Name = "1m", Size = TimeSpan.FromMinutes(1) }];

        var shared = validator.Validate(null, new PipelineOptions { Windows = [.. windows], AggregateMeasurement = "windows" });
        var single = validator.Validate(null, new PipelineOptions { Windows = [windows[0]], AggregateMeasurement = "windows" });
        var perWindow = validator.Validate(null, new PipelineOptions { Windows = [.. windows], AggregateMeasurement = "agg_{window}" });

        Assert.True(shared.Failed);
        Assert.Contains("ReactiveIngest:Pipeline:AggregateMeasurement", shared.FailureMessage, StringComparison.Ordinal);
        Assert.True(single.Succeeded);
        Assert.True(perWindow.Succeeded);
    }
}
