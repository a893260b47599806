namespace ReactiveIngest.Service.Live;

/// <summary>The names of the configured window specifications; the first is the default for queries.</summary>
public sealed class WindowCatalog(IReadOnlyList<string> names)
{
    /// <summary>The configured names in configuration order.</summary>
    public IReadOnlyList<string> Names { get; } = names.Count > 0 ? names : throw new ArgumentException("At least one window is required.", nameof(names));

    /// <summary>The window used when a query names none.</summary>
    public string Default => Names[0];

    /// <summary>True when <paramref name="name"/> is configured.</summary>
    public bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);
}
