namespace ReactiveIngest.Service.Configuration;

/// <summary>Checks the configuration before any options are bound.</summary>
public static class StrictConfigurationExtensions
{
    /// <summary>
    /// Lets every <see cref="TimeSpan"/> setting take the <see cref="Duration"/> forms, then fails with
    /// <see cref="InvalidConfigurationException"/> listing every key under <c>ReactiveIngest:</c> that no option binds
    /// (with the nearest valid key) and every value that does not convert to its key's type.
    /// </summary>
    public static IHostApplicationBuilder AddStrictConfiguration(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        DurationConverter.Register();
        var problems = ConfigurationChecker.Problems(builder.Configuration);
        if (problems.Count > 0)
        {
            throw new InvalidConfigurationException(problems);
        }

        return builder;
    }
}
