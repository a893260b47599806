namespace ReactiveIngest.Service.Configuration;

/// <summary>A configuration section and the options types the service binds to it (a key is real when any of them has it).</summary>
/// <param name="Path">The section path; <c>N</c> marks a list index (e.g. <c>ReactiveIngest:Sources:Mqtt:N</c>).</param>
/// <param name="Types">The options types bound to every instance of the section.</param>
/// <param name="Defaults">
/// Defaults the binding code sets before binding (key relative to the section → shown default), where they differ from
/// a fresh instance's.
/// </param>
public sealed record ConfigurationSection(string Path, IReadOnlyList<Type> Types, IReadOnlyDictionary<string, string>? Defaults = null);
