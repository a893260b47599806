using Microsoft.Extensions.Options;

namespace ReactiveIngest.Service.Inputs;

/// <summary>
/// The inputs' configuration while the host is built: each connector reads its own list under
/// <see cref="SectionName"/>, claims its inputs' names here and adds every problem it finds, naming the key to fix;
/// <see cref="ThrowIfInvalid"/> then reports all of them at once.
/// </summary>
public sealed class InputConfiguration(IConfiguration configuration)
{
    /// <summary>The configuration section of all configured inputs.</summary>
    public const string SectionName = "ReactiveIngest:Sources";

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    /// <summary>The whole configuration.</summary>
    public IConfiguration Configuration => configuration;

    /// <summary>The problems found so far.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The entries of one connector's list, e.g. <c>ReactiveIngest:Sources:Mqtt:N</c>.</summary>
    public IEnumerable<IConfigurationSection> Entries(string connector) => configuration.GetSection($"{SectionName}:{connector}").GetChildren();

    /// <summary>Claims an input name; a name another input holds is a problem at <paramref name="nameKey"/>.</summary>
    public void ClaimName(string name, string nameKey)
    {
        if (!_names.Add(name))
        {
            _problems.Add($"{nameKey} '{name}' is used by another source.");
        }
    }

    /// <summary>Adds problems, each already naming its key.</summary>
    public void AddProblems(IEnumerable<string> problems) => _problems.AddRange(problems);

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(InputConfiguration), _problems);
        }
    }
}
