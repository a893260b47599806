namespace ReactiveIngest.Service.Analytics;

/// <summary>Checks configured metric names (the same rules the reading validator applies to input).</summary>
internal static class MetricNames
{
    public const int MaxLength = 256;

    /// <summary>Null when <paramref name="name"/> is usable, else why not.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "must not be empty";
        }

        if (name.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        return name.Any(char.IsControl) ? "must not contain control characters" : null;
    }
}
