using Microsoft.Extensions.Configuration;
using ReactiveIngest.Service.Configuration;
using Xunit;

namespace ReactiveIngest.Service.Tests.Configuration;

public sealed class SecretFileConfigurationSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("secret-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Secret(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static IConfigurationRoot Build(IReadOnlyDictionary<string, string?> environment) =>
        new ConfigurationBuilder().AddSecretFiles(environment).Build();

    [Fact]
    public void A_FILE_variable_should_set_its_key_to_the_files_content_without_the_trailing_newline()
    {
        var configuration = Build(new Dictionary<string, string?>
        {
            ["ReactiveIngest__Influx__Token_FILE"] = Secret("token", "s3cr3t-token\n"),
            ["ReactiveIngest__Http__ApiKey_FILE"] = Secret("key", "line one\r\n"),
            ["ReactiveIngest__Sources__Mqtt__0__Connection__Password_FILE"] = Secret("pw", "  spaced  "),
        });

        Assert.Equal("s3cr3t-token", configuration["ReactiveIngest:Influx:Token"]);
        Assert.Equal("line one", configuration["ReactiveIngest:Http:ApiKey"]);
        Assert.Equal("  spaced  ", configuration["ReactiveIngest:Sources:Mqtt:0:Connection:Password"]);
    }

    [Fact]
    public void Variables_without_the_prefix_or_the_suffix_should_be_ignored()
    {
        var configuration = Build(new Dictionary<string, string?>
        {
            ["OTHER__Token_FILE"] = Secret("a", "x"),
            ["ReactiveIngest__Influx__Token"] = "plain",
            ["ReactiveIngest__Influx__TokenFILE"] = "/does/not/matter",
        });

        Assert.Empty(configuration.AsEnumerable());
    }

    [Fact]
    public void A_missing_file_should_fail_naming_the_variable_the_path_and_the_key()
    {
        var missing = Path.Combine(_dir, "absent");
        var e = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?> { ["ReactiveIngest__Influx__Token_FILE"] = missing }));
        Assert.Contains("ReactiveIngest__Influx__Token_FILE", e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("ReactiveIngest:Influx:Token", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variable_set_together_with_its_FILE_variable_should_fail_naming_both()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?>
        {
            ["ReactiveIngest__Http__ApiKey"] = "inline",
            ["ReactiveIngest__Http__ApiKey_FILE"] = Secret("key", "from-file"),
        }));
        Assert.Contains("ReactiveIngest__Http__ApiKey_FILE and ReactiveIngest__Http__ApiKey are both set", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_variable_or_an_oversize_file_should_fail_naming_the_variable()
    {
        var empty = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?> { ["ReactiveIngest__Influx__Token_FILE"] = "" }));
        Assert.Contains("ReactiveIngest__Influx__Token_FILE must name a file", empty.Message, StringComparison.Ordinal);

        var big = Secret("big", new string('x', SecretFileConfigurationSource.MaxFileBytes + 1));
        var oversize = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?> { ["ReactiveIngest__Influx__Token_FILE"] = big }));
        Assert.Contains("ReactiveIngest__Influx__Token_FILE", oversize.Message, StringComparison.Ordinal);
        Assert.Contains("65536", oversize.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_secret_source_should_override_environment_variables_and_files_but_not_the_command_line()
    {
        var token = Secret("token", "from-file\n");
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ReactiveIngest:Influx:Token"] = "from-appsettings", ["ReactiveIngest:Http:ApiKey"] = "from-appsettings" })
            .AddEnvironmentVariables("NO_SUCH_PREFIX_")
            .AddCommandLine(["--ReactiveIngest:Http:ApiKey=from-command-line"]);
        builder.AddSecretFiles(new Dictionary<string, string?>
        {
            ["ReactiveIngest__Influx__Token_FILE"] = token,
            ["ReactiveIngest__Http__ApiKey_FILE"] = token,
        });

        var configuration = builder.Build();

        Assert.IsType<SecretFileConfigurationSource>(builder.Sources[2]);
        Assert.Equal("from-file", configuration["ReactiveIngest:Influx:Token"]);
        Assert.Equal("from-command-line", configuration["ReactiveIngest:Http:ApiKey"]);
    }
}
