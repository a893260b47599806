namespace ReactiveIngest.Service.Configuration;

/// <summary>One key of the configuration reference.</summary>
/// <param name="Section">The section it belongs to.</param>
/// <param name="Path">The key; list indexes are <c>N</c>, <c>M</c>, … and dictionary keys <c>{name}</c>.</param>
/// <param name="EnvironmentVariable">The environment-variable form with index 0 (e.g. <c>ReactiveIngest__Sources__Mqtt__0__Topics__0</c>).</param>
/// <param name="Type">The value's type, readable (enums list their values).</param>
/// <param name="Default">The default of a fresh options instance, or <c>–</c> when there is none.</param>
/// <param name="Description">The one-line description from the property's XML doc comment.</param>
public sealed record ConfigurationKey(string Section, string Path, string EnvironmentVariable, string Type, string Default, string Description)
{
    /// <summary>The CLR type one value of the key converts to (the element type of a list, the value type of a map).</summary>
    public Type? ValueType { get; init; }
}
