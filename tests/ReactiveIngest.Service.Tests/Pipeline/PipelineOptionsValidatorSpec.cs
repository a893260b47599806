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
}
