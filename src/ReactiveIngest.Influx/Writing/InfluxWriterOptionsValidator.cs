namespace ReactiveIngest.Influx.Writing;

/// <summary>Checks <see cref="InfluxWriterOptions"/> and reports every problem, each naming its key.</summary>
public static class InfluxWriterOptionsValidator
{
    /// <summary>All problems, empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(InfluxWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string s = InfluxWriterOptions.SectionName;

        if (options.Url is null)
        {
            errors.Add($"{s}:Url is required (e.g. http://127.0.0.1:8086/).");
        }
        else if (!options.Url.IsAbsoluteUri || (options.Url.Scheme != Uri.UriSchemeHttp && options.Url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{s}:Url must be an absolute http or https address (was '{options.Url}').");
        }

        switch (options.ApiVersion)
        {
            case InfluxApiVersion.V1:
                if (string.IsNullOrWhiteSpace(options.Database))
                {
                    errors.Add($"{s}:Database is required with ApiVersion V1.");
                }

                if (!string.IsNullOrEmpty(options.Username) && options.Password is null)
                {
                    errors.Add($"{s}:Password is required when {s}:Username is set.");
                }

                break;
            case InfluxApiVersion.V2:
                if (string.IsNullOrWhiteSpace(options.Organization))
                {
                    errors.Add($"{s}:Organization is required with ApiVersion V2.");
                }

                if (string.IsNullOrWhiteSpace(options.Bucket))
                {
                    errors.Add($"{s}:Bucket is required with ApiVersion V2.");
                }

                if (string.IsNullOrWhiteSpace(options.Token))
                {
                    errors.Add($"{s}:Token is required with ApiVersion V2.");
                }

                break;
            default:
                errors.Add($"{s}:ApiVersion must be V1 or V2 (was '{options.ApiVersion}').");
                break;
        }

        if (!Enum.IsDefined(options.Precision))
        {
            errors.Add($"{s}:Precision must be Nanoseconds, Microseconds, Milliseconds or Seconds (was '{options.Precision}').");
        }

        if (options.BatchSize < 1)
        {
            errors.Add($"{s}:BatchSize must be at least 1 (was {options.BatchSize}).");
        }

        if (options.MaxBatchBytes < 1024)
        {
            errors.Add($"{s}:MaxBatchBytes must be at least 1024 (was {options.MaxBatchBytes}).");
        }

        if (options.MaxConcurrentWrites < 1)
        {
            errors.Add($"{s}:MaxConcurrentWrites must be at least 1 (was {options.MaxConcurrentWrites}).");
        }

        if (options.UnreadyAfterFailures < 1)
        {
            errors.Add($"{s}:UnreadyAfterFailures must be at least 1 (was {options.UnreadyAfterFailures}).");
        }

        Positive(errors, options.FlushInterval, "FlushInterval");
        Positive(errors, options.RequestTimeout, "RequestTimeout");
        Positive(errors, options.InitialRetryDelay, "InitialRetryDelay");
        Positive(errors, options.MaxRetryDelay, "MaxRetryDelay");
        Positive(errors, options.AuthRetryInterval, "AuthRetryInterval");
        if (options.MaxRetryDelay < options.InitialRetryDelay)
        {
            errors.Add($"{s}:MaxRetryDelay ({options.MaxRetryDelay}) must not be shorter than {s}:InitialRetryDelay ({options.InitialRetryDelay}).");
        }

        return errors;
    }

    /// <summary>Throws when the options have problems, listing all of them.</summary>
    /// <exception cref="ArgumentException">At least one setting is wrong.</exception>
    public static void ThrowIfInvalid(InfluxWriterOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid InfluxDB settings:" + Environment.NewLine + string.Join(Environment.NewLine, errors), nameof(options));
        }
    }

    private static void Positive(List<string> errors, TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{InfluxWriterOptions.SectionName}:{key} must be positive (was {value}).");
        }
    }
}
