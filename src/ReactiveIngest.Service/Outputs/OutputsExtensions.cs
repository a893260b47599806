using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Service.Outputs.Influx;
using ReactiveIngest.Service.Outputs.Memory;

namespace ReactiveIngest.Service.Outputs;

/// <summary>Registers every output: the one place that lists them.</summary>
public static class OutputsExtensions
{
    /// <summary>
    /// Registers the dead-letter output, InfluxDB when <c>ReactiveIngest:Influx:Url</c> is set (else the in-memory
    /// output, so readings and windows still count as stored in the demo); invalid options fail start-up naming the key.
    /// </summary>
    public static IHostApplicationBuilder AddOutputs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddDeadLetters();
        if (InfluxStorageExtensions.Configured(builder.Configuration))
        {
            builder.AddInfluxStorage();
        }
        else
        {
            builder.Services.AddSingleton<IOutput, MemoryOutput>();
        }

        return builder;
    }
}
