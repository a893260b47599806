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

    /// <summary>
    /// Binds one entry: its connector settings (by <paramref name="bind"/>), its codec and its limits. A value that does
    /// not convert is a problem at the entry's key, and the entry is skipped (null).
    /// </summary>
    public InputEntry<TSettings>? Bind<TSettings>(IConfigurationSection entry, Func<IConfigurationSection, TSettings> bind)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(bind);
        try
        {
            return new InputEntry<TSettings>(entry.Path, bind(entry), entry.Get<CodecDefinition>() ?? new CodecDefinition(), entry.Get<InputLimits>() ?? new InputLimits());
        }
        catch (InvalidOperationException e)
        {
            _problems.Add($"{entry.Path}: {e.Message}");
            return null;
        }
    }

    /// <summary>Claims the entry's input name and adds the problems of its settings, codec and limits, each under the entry's key.</summary>
    public void Check<TSettings>(InputEntry<TSettings> entry, string name, string nameSetting, IEnumerable<string> settingsProblems)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(settingsProblems);
        ClaimName(name, $"{entry.Key}:{nameSetting}");
        _problems.AddRange(settingsProblems.Select(e => $"{entry.Key}: {e}"));
        _problems.AddRange(entry.Codec.Validate(entry.Key));
        _problems.AddRange(entry.Limits.Validate(entry.Key));
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    public void ThrowIfInvalid()
    {
        if (_problems.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(InputConfiguration), _problems);
        }
    }
}
