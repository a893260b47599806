using ReactiveIngest.Service.Configuration;
using ReactiveIngest.Service.Diagnostics;
using ReactiveIngest.Service.Pipeline;
using Xunit;

namespace ReactiveIngest.Service.Tests.Configuration;

/// <summary>The configuration reference is generated from the options classes, and docs/configuration.md carries the current one.</summary>
public sealed class ConfigurationReferenceSpec
{
    [Fact]
    public void The_configuration_document_should_carry_the_generated_configuration_reference()
    {
        var document = File.ReadAllText(Path.Combine(RepositoryRoot(), ConfigurationReference.Document));
        var current = ConfigurationReference.Between(document);
        Assert.True(current is not null, $"{ConfigurationReference.Document} has no '{ConfigurationReference.StartMarker}' … '{ConfigurationReference.EndMarker}' pair.");
        var expected = ConfigurationReference.Markdown().TrimEnd('\n');
        if (current != expected)
        {
            var currentLines = current!.Split('\n');
            var expectedLines = expected.Split('\n');
            var first = Enumerable.Range(0, Math.Max(currentLines.Length, expectedLines.Length))
                .First(i => i >= currentLines.Length || i >= expectedLines.Length || currentLines[i] != expectedLines[i]);
            Assert.Fail(
                $"{ConfigurationReference.Document}'s configuration reference differs from the options classes; refresh it from the repository root with:\n" +
                $"  {ConfigurationReference.UpdateCommand}\n" +
                $"First difference at line {first + 1} of the generated block:\n" +
                $"  document:  {(first < currentLines.Length ? currentLines[first] : "(end)")}\n" +
                $"  generated: {(first < expectedLines.Length ? expectedLines[first] : "(end)")}");
        }
    }

    [Fact]
    public void The_README_should_link_to_the_configuration_document_and_not_carry_a_copy()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        Assert.Contains($"]({ConfigurationReference.Document})", readme, StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigurationReference.StartMarker, readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_property_the_binder_fills_should_be_a_key_with_a_description()
    {
        var keys = ConfigurationReference.Keys();
        foreach (var section in ConfigurationSections.All())
        {
            foreach (var property in section.Types.SelectMany(ConfigurationWalker.BoundProperties))
            {
                var prefix = $"{section.Path}:{property.Name}";
                Assert.True(keys.Any(k => k.Path == prefix || k.Path.StartsWith(prefix + ":", StringComparison.Ordinal)), $"{prefix} ({property.PropertyType.Name}) is not in the reference");
            }
        }

        Assert.All(keys, k => Assert.False(string.IsNullOrWhiteSpace(k.Description), $"{k.Path} has no description (XML doc file missing?)"));
        Assert.Equal(keys.Count, keys.Select(k => k.Path).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Sections_should_be_found_by_their_SectionName_constant_and_the_explicitly_bound_ones_listed()
    {
        var paths = ConfigurationSections.All().Select(s => s.Path).ToList();
        Assert.Contains(PipelineOptions.SectionName, paths);
        Assert.Contains("ReactiveIngest:Http", paths);
        Assert.Contains("ReactiveIngest:Sources:Http", paths);
        Assert.Contains("ReactiveIngest:Validation", paths);
        Assert.Contains("ReactiveIngest:Sources:Mqtt:N", paths);
        Assert.Contains("ReactiveIngest:Sources:Kafka:N", paths);
        Assert.DoesNotContain("ReactiveIngest:Sources", paths); // SourceCatalog has a SectionName but binds nothing itself
        var influx = Assert.Single(ConfigurationSections.All(), s => s.Path == PipelineHealthOptions.SectionName);
        Assert.Contains(typeof(PipelineHealthOptions), influx.Types);
    }

    [Theory]
    [InlineData("ReactiveIngest:Sources:Mqtt:N:Subscriptions:M:Filter", "ReactiveIngest__Sources__Mqtt__0__Subscriptions__0__Filter", "string", "\"\"")]
    [InlineData("ReactiveIngest:Sources:Mqtt:N:Connection:Port", "ReactiveIngest__Sources__Mqtt__0__Connection__Port", "int", "1883")]
    [InlineData("ReactiveIngest:Sources:Mqtt:N:Name", "ReactiveIngest__Sources__Mqtt__0__Name", "string", "mqtt:N")]
    [InlineData("ReactiveIngest:Sources:Kafka:N:Topics:M", "ReactiveIngest__Sources__Kafka__0__Topics__0", "list of string", "[]")]
    [InlineData("ReactiveIngest:Sources:Kafka:N:Properties:{name}", "ReactiveIngest__Sources__Kafka__0__Properties__{name}", "map of string", "{}")]
    [InlineData("ReactiveIngest:Sources:Mqtt:N:Json:Tags:{name}", "ReactiveIngest__Sources__Mqtt__0__Json__Tags__{name}", "map of string", "{}")]
    [InlineData("ReactiveIngest:Influx:HealthInterval", "ReactiveIngest__Influx__HealthInterval", "duration", "00:00:10")]
    [InlineData("ReactiveIngest:Influx:Url", "ReactiveIngest__Influx__Url", "URL", "–")]
    [InlineData("ReactiveIngest:Pipeline:OpenWindowsOnShutdown", "ReactiveIngest__Pipeline__OpenWindowsOnShutdown", "Redeliver \\| Flush \\| Provisional", "Provisional")]
    [InlineData("ReactiveIngest:Validation:MaxAge", "ReactiveIngest__Validation__MaxAge", "duration", "7.00:00:00")]
    public void A_key_should_show_its_environment_variable_type_and_default(string path, string environmentVariable, string type, string defaultValue)
    {
        var key = Assert.Single(ConfigurationReference.Keys(), k => k.Path == path);
        Assert.Equal(environmentVariable, key.EnvironmentVariable);
        Assert.Equal(type, key.Type);
        Assert.Equal(defaultValue, key.Default);
    }

    [Fact]
    public void Descriptions_should_come_from_the_xml_doc_comments()
    {
        var key = Assert.Single(ConfigurationReference.Keys(), k => k.Path == "ReactiveIngest:Pipeline:AggregateMeasurement");
        Assert.Equal(
            "Measurement name of aggregates; `{window}` is replaced by the window name (required when more than one window is configured, so that each window definition writes points of its own).",
            key.Description);
    }

    [Theory]
    [InlineData("ReactiveIngest:Sources:Mqtt:3:Connection:Port", true)]
    [InlineData("reactiveingest:pipeline:windows:2:slide", true)]
    [InlineData("ReactiveIngest:Sources:Kafka:0:Properties:sasl.mechanism", true)]
    [InlineData("ReactiveIngest:Influx:HealthInterval", true)]
    [InlineData("ReactiveIngest:Influx:Organisation", false)]
    [InlineData("ReactiveIngest:Sources:Mqtt:first:Name", false)]
    [InlineData("ReactiveIngest:Pipeline:Windows", false)]
    [InlineData("ReactiveIngest:Kafka:BootstrapServers", false)]
    public void Problem_should_accept_exactly_the_keys_of_the_reference(string path, bool real)
    {
        Assert.Equal(real, ConfigurationReference.Problem(path) is null);
    }

    [Fact]
    public void The_command_should_print_the_reference_and_update_only_the_text_between_the_markers()
    {
        using var printed = new StringWriter();
        Assert.Equal(0, ConfigurationReferenceCommand.Run(["config-reference"], printed));
        Assert.Equal(ConfigurationReference.Markdown(), printed.ToString());

        var file = Path.Combine(Path.GetTempPath(), $"configuration-{Guid.NewGuid():N}.md");
        try
        {
            File.WriteAllText(file, $"# Title\nintro\n{ConfigurationReference.StartMarker}\nstale\n{ConfigurationReference.EndMarker}\nafter\n");
            using var log = new StringWriter();
            Assert.Equal(0, ConfigurationReferenceCommand.Run(["config-reference", "--update", file], log));
            var updated = File.ReadAllText(file);
            Assert.StartsWith($"# Title\nintro\n{ConfigurationReference.StartMarker}\n<!-- Generated", updated, StringComparison.Ordinal);
            Assert.EndsWith($"{ConfigurationReference.EndMarker}\nafter\n", updated, StringComparison.Ordinal);
            Assert.DoesNotContain("stale", updated, StringComparison.Ordinal);
            Assert.Equal(ConfigurationReference.Markdown().TrimEnd('\n'), ConfigurationReference.Between(updated));
        }
        finally
        {
            File.Delete(file);
        }

        using var usage = new StringWriter();
        Assert.Equal(2, ConfigurationReferenceCommand.Run(["config-reference", "--bogus"], usage));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReactiveIngest.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ReactiveIngest.sln above {AppContext.BaseDirectory}.");
    }
}
