using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.IntegrationTests.Grafana;
using ReactiveIngest.Service.Configuration;
using ReactiveIngest.Service.Hosting;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Service.Inputs.Kafka;
using ReactiveIngest.Service.Inputs.Mqtt;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace ReactiveIngest.IntegrationTests.Compose;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine), so its pieces are checked statically: mounted files
/// exist, ports agree with what each server listens on, and every ReactiveIngest__ variable is a real,
/// bindable and valid configuration key of the service.
/// </summary>
public sealed partial class ComposeFileSpec
{
    private const string Prefix = "ReactiveIngest__";
    private static readonly string Root = DashboardFiles.RepositoryRoot();
    private readonly ComposeFile _compose = ComposeFile.Load(Path.Combine(Root, "docker-compose.yml"));

    [Fact]
    public void The_stack_should_have_every_service_with_a_health_check_except_the_simulator()
    {
        Assert.Equal(["mosquitto", "kafka", "influxdb", "grafana", "service", "prometheus", "simulator"], _compose.Services);
        Assert.All(_compose.Services.Where(s => s != "simulator"), s => Assert.True(_compose.HasHealthCheck(s), $"{s} has no healthcheck"));
        Assert.All(_compose.Services, s => Assert.All(_compose.DependsOn(s), d => Assert.Contains(d, _compose.Services)));
    }

    [Fact]
    public void Every_mounted_host_path_and_build_file_should_exist_and_every_named_volume_be_declared()
    {
        var checkedMounts = 0;
        foreach (var service in _compose.Services)
        {
            foreach (var (source, _) in _compose.Volumes(service))
            {
                if (source.StartsWith("./", StringComparison.Ordinal))
                {
                    var path = Path.Combine(Root, source[2..]);
                    Assert.True(File.Exists(path) || Directory.Exists(path), $"{service} mounts {source}, which does not exist");
                    checkedMounts++;
                }
                else
                {
                    Assert.Contains(source, _compose.NamedVolumes);
                }
            }

            if (_compose.Build(service) is { } build)
            {
                Assert.True(Directory.Exists(Path.Combine(Root, build.Context)), $"{service}: build context {build.Context} is missing");
                Assert.True(File.Exists(Path.Combine(Root, build.Context, build.Dockerfile)), $"{service}: {build.Dockerfile} is missing");
            }
        }

        Assert.True(checkedMounts >= 4, $"only {checkedMounts} host mounts found");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Root, "samples", "compose", "influxdb-init"), "*.sh"));
    }

    [Fact]
    public void Published_ports_should_be_the_ports_each_server_listens_on_and_unique_on_the_host()
    {
        var listening = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal)
        {
            ["mosquitto"] = [.. MosquittoListener().Matches(File.ReadAllText(Path.Combine(Root, "samples", "compose", "mosquitto.conf")))
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))],
            ["kafka"] = [.. UrlPort().Matches(_compose.Environment("kafka")["KAFKA_LISTENERS"]).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))],
            ["influxdb"] = [8086], // influxd's default http-bind-address; the compose file does not change it
            ["grafana"] = [3000], // Grafana's default http_port
            ["prometheus"] = [9090], // Prometheus's default --web.listen-address; the command does not change it
            ["service"] = [.. UrlPort().Matches(_compose.Environment("service")["ReactiveIngest__Http__Urls"]).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))],
        };
        var hostPorts = new HashSet<int>();
        foreach (var service in _compose.Services)
        {
            foreach (var (_, host, container) in _compose.Ports(service))
            {
                Assert.True(listening.TryGetValue(service, out var ports) && ports.Contains(container), $"{service} publishes {container}, which it does not listen on");
                Assert.True(hostPorts.Add(host), $"host port {host} is published twice");
            }
        }

        // Kafka's external listener must advertise the host port that is published for it.
        var external = ExternalAdvertised().Match(_compose.Environment("kafka")["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.True(external.Success);
        Assert.Contains(_compose.Ports("kafka"), p => p.Host == int.Parse(external.Groups[1].Value, CultureInfo.InvariantCulture));

        Assert.DoesNotContain(_compose.Command("prometheus"), a => a.StartsWith("--web.listen-address", StringComparison.Ordinal));

        // The service listens on every interface inside its container, or the published port is unreachable.
        Assert.Contains("0.0.0.0", _compose.Environment("service")["ReactiveIngest__Http__Urls"], StringComparison.Ordinal);
    }

    [Fact]
    public void Clients_inside_the_stack_should_address_services_and_ports_that_exist()
    {
        var env = _compose.Environment("service");
        var mosquittoPort = _compose.Ports("mosquitto").Single().Container;
        Assert.Equal("mosquitto", env["ReactiveIngest__Sources__Mqtt__0__Connection__Host"]);
        Assert.Equal(mosquittoPort.ToString(CultureInfo.InvariantCulture), env["ReactiveIngest__Sources__Mqtt__0__Connection__Port"]);
        Assert.Equal(new Uri("http://influxdb:8086"), new Uri(env["ReactiveIngest__Influx__Url"]));

        var influx = _compose.Environment("influxdb");
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_ORG"], env["ReactiveIngest__Influx__Organization"]);
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_BUCKET"], env["ReactiveIngest__Influx__Bucket"]);
        // InfluxDB's operator token and the service's token are the same secret file.
        Assert.Equal("/run/secrets/influx_token", influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN_FILE"]);
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN_FILE"], env["ReactiveIngest__Influx__Token_FILE"]);
        Assert.Contains("influx_token", _compose.Secrets("influxdb"));
        Assert.Contains("influx_token", _compose.Secrets("service"));

        // Grafana queries the DBRP database named after the bucket, with the same token, read from the same secret.
        var grafana = _compose.Environment("grafana");
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_BUCKET"], grafana["INFLUX_DATABASE"]);
        Assert.Contains("influx_token", _compose.Secrets("grafana"));
        var datasource = File.ReadAllText(Path.Combine(Root, "samples", "grafana", "provisioning", "datasources", "influxdb.yml"));
        Assert.Contains("url: http://influxdb:8086", datasource, StringComparison.Ordinal);
        Assert.Contains("${INFLUX_DATABASE}", datasource, StringComparison.Ordinal);
        Assert.Contains("Token $__file{" + influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN_FILE"] + "}", datasource, StringComparison.Ordinal);

        // The simulator publishes to the broker on its port, on the topics the service subscribes to.
        var command = _compose.Command("simulator");
        Assert.Equal("fleet", command[0]);
        Assert.Equal("mosquitto", command[command.ToList().IndexOf("--host") + 1]);
        Assert.Equal(mosquittoPort.ToString(CultureInfo.InvariantCulture), command[command.ToList().IndexOf("--port") + 1]);
        Assert.Equal("sites/+/devices/+/telemetry", env["ReactiveIngest__Sources__Mqtt__0__Subscriptions__0__Filter"]);

        // The Kafka source uses the listener Kafka advertises inside the stack.
        var plaintext = InternalAdvertised().Match(_compose.Environment("kafka")["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.True(plaintext.Success);
        Assert.Equal(plaintext.Groups[1].Value, env["ReactiveIngest__Sources__Kafka__0__BootstrapServers"]);
        Assert.Contains($"PLAINTEXT://0.0.0.0:{plaintext.Groups[2].Value}", _compose.Environment("kafka")["KAFKA_LISTENERS"], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_ReactiveIngest_environment_variable_should_name_a_real_configuration_key()
    {
        var keys = _compose.Services.SelectMany(s => _compose.Environment(s).Keys).Where(k => k.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        Assert.True(keys.Count >= 20, $"only {keys.Count} ReactiveIngest__ variables found");
        // A …_FILE variable (SecretFileConfigurationSource) stands for the key without the suffix.
        var problems = keys.Select(k => k.EndsWith(SecretFileConfigurationSource.Suffix, StringComparison.Ordinal) ? k[..^SecretFileConfigurationSource.Suffix.Length] : k)
            .Select(k => ConfigurationKeyChecker.Problem(ConfigurationKeyChecker.ToConfigurationPath(k))).OfType<string>().ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_key_checker_should_reject_misspelt_and_misplaced_keys()
    {
        Assert.Null(ConfigurationKeyChecker.Problem("ReactiveIngest:Sources:Mqtt:0:Json:TopicTemplate"));
        Assert.Null(ConfigurationKeyChecker.Problem("ReactiveIngest:Sources:Mqtt:3:Connection:Port"));
        Assert.Null(ConfigurationKeyChecker.Problem("ReactiveIngest:Pipeline:Windows:2:Slide"));
        Assert.NotNull(ConfigurationKeyChecker.Problem("ReactiveIngest:Influx:Organisation"));
        Assert.NotNull(ConfigurationKeyChecker.Problem("ReactiveIngest:Sources:Mqtt:0:Connection:Hostname"));
        Assert.NotNull(ConfigurationKeyChecker.Problem("ReactiveIngest:Sources:Mqtt:first:Name"));
        Assert.NotNull(ConfigurationKeyChecker.Problem("ReactiveIngest:Pipeline:Windows:Name"));
        Assert.NotNull(ConfigurationKeyChecker.Problem("ReactiveIngest:Pipeline:Windows"));
        Assert.NotNull(ConfigurationKeyChecker.Problem("ReactiveIngest:Kafka:BootstrapServers"));
        Assert.Null(ConfigurationKeyChecker.Problem("ReactiveIngest:Sources:Kafka:0:Topics:1"));
        Assert.Null(ConfigurationKeyChecker.Problem("ReactiveIngest:Sources:Kafka:1:Json:DeviceIdPath"));
        Assert.NotNull(ConfigurationKeyChecker.Problem("ReactiveIngest:Sources:Kafka:0:Bootstrap"));
        Assert.NotNull(ConfigurationKeyChecker.Problem("ReactiveIngest:Sources:Kafka:0:Topics:first"));
    }

    [Fact]
    public void The_service_environment_should_bind_and_pass_the_services_own_validation()
    {
        // The …_FILE variables name /run/secrets/<name>; here they read the default file of that secret in the repository.
        var environment = _compose.Environment("service").Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        var secretFiles = environment.Where(kv => kv.Key.EndsWith(SecretFileConfigurationSource.Suffix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => (string?)HostPathOfSecret(kv.Value), StringComparer.Ordinal);
        Assert.Equal(2, secretFiles.Count);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(_compose.ServiceSettings("service"))
            .AddSecretFiles(secretFiles)
            .Build();

        Assert.Empty(ConfigurationChecker.Problems(configuration));
        var inputs = new InputConfiguration(configuration);
        var mqtt = Assert.Single(MqttInputs.Load(inputs));
        Assert.Equal("mosquitto", mqtt.Settings.Connection.Host);
        Assert.Equal("sites/{site}/devices/{deviceId}/telemetry", mqtt.Codec.Json.TopicTemplate);
        var kafka = Assert.Single(KafkaInputs.Load(inputs));
        Assert.Empty(inputs.Problems);
        Assert.Equal("kafka:9092", kafka.Settings.BootstrapServers);
        Assert.Equal(["telemetry"], kafka.Settings.Topics);
        Assert.Empty(kafka.Settings.Validate());
        Assert.Equal("json", kafka.Codec.Codec);

        var pipeline = configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>()!;
        Assert.False(new PipelineOptionsValidator().Validate(null, pipeline).Failed);
        Assert.Equal(["10s", "1m"], pipeline.EffectiveWindows.Select(w => w.Name));

        var influx = configuration.GetSection(InfluxWriterOptions.SectionName).Get<InfluxWriterOptions>()!;
        Assert.Empty(InfluxWriterOptionsValidator.Validate(influx));
        Assert.Equal(InfluxApiVersion.V2, influx.ApiVersion);

        Assert.Equal(File.ReadAllText(HostPathOfSecret("/run/secrets/influx_token")).TrimEnd('\n'), influx.Token);

        var http = configuration.GetSection(HttpEndpointOptions.SectionName).Get<HttpEndpointOptions>()!;
        Assert.False(string.IsNullOrEmpty(http.ApiKey));
        var httpResult = new HttpEndpointOptionsValidator().Validate(null, http);
        Assert.False(httpResult.Failed, httpResult.FailureMessage);
    }

    [Fact]
    public void Every_published_port_should_be_bound_to_loopback_unless_BIND_ADDRESS_says_otherwise()
    {
        var published = 0;
        foreach (var service in _compose.Services)
        {
            foreach (var raw in _compose.RawPorts(service))
            {
                Assert.StartsWith("${BIND_ADDRESS:-127.0.0.1}:", raw, StringComparison.Ordinal);
                published++;
            }

            Assert.All(_compose.Ports(service), p => Assert.Equal("127.0.0.1", p.Address));
        }

        Assert.Equal(6, published);
        Assert.Contains("BIND_ADDRESS=127.0.0.1", File.ReadAllLines(Path.Combine(Root, ".env.example")));
    }

    [Fact]
    public void The_compose_file_should_hold_no_secret_values_only_files_under_run_secrets()
    {
        var secretFiles = 0;
        foreach (var service in _compose.Services)
        {
            foreach (var (name, value) in _compose.RawEnvironment(service))
            {
                if (!SecretName().IsMatch(name))
                {
                    continue;
                }

                // A secret setting names a file (the image's *_FILE, Grafana's *__FILE, the service's …_FILE), never a value.
                Assert.True(name.EndsWith("_FILE", StringComparison.Ordinal), $"{service}: {name} holds a value; use {name}_FILE and a secret");
                Assert.StartsWith("/run/secrets/", value, StringComparison.Ordinal);
                var secret = value["/run/secrets/".Length..];
                Assert.True(_compose.Secrets(service).Contains(secret), $"{service}: {name} reads secret {secret}, which the service is not granted");
                Assert.True(_compose.SecretFiles.ContainsKey(secret), $"{service}: secret {secret} is not declared at the top level");
                secretFiles++;
            }
        }

        Assert.Equal(5, secretFiles);

        // No secret's value appears anywhere in the file, nor as a ${VAR:-default}.
        var text = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        foreach (var file in _compose.SecretFiles.Values)
        {
            var value = File.ReadAllText(HostPath(file)).Trim();
            Assert.True(value.Length >= 16, $"{file}: a secret should be at least 16 characters");
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }

        Assert.Empty(InlineDefault().Matches(text).Where(m => SecretName().IsMatch(m.Groups[1].Value) && !m.Groups[1].Value.EndsWith("_SECRET_FILE", StringComparison.Ordinal)).Select(m => m.Value));
    }

    [Fact]
    public void Every_secret_file_should_exist_in_the_repository_and_its_variable_be_documented_in_env_example()
    {
        var envExample = File.ReadAllLines(Path.Combine(Root, ".env.example"))
            .Where(l => !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal);
        Assert.Equal(4, _compose.SecretFiles.Count);
        foreach (var (name, file) in _compose.SecretFiles)
        {
            var variable = VariableWithDefault().Match(file);
            Assert.True(variable.Success, $"secret {name}: its file should be ${{VARIABLE:-default}} ({file})");
            Assert.True(File.Exists(HostPath(file)), $"secret {name}: the default file {variable.Groups[2].Value} is missing");
            Assert.True(envExample.TryGetValue(variable.Groups[1].Value, out var example), $".env.example does not document {variable.Groups[1].Value}");
            Assert.True(File.Exists(Path.Combine(Root, example)), $".env.example: {variable.Groups[1].Value}={example} does not exist");
            Assert.True(_compose.Services.Any(s => _compose.Secrets(s).Contains(name)), $"secret {name} is granted to no service");
        }

        // Every variable the compose file reads is documented in .env.example.
        var text = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        var used = UsedVariable().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        Assert.Contains("BIND_ADDRESS", used);
        Assert.All(used, v => Assert.True(envExample.ContainsKey(v), $".env.example does not document {v}"));

        // Your own secrets are ignored by git and kept out of the images; the development ones are committed.
        var gitignore = File.ReadAllLines(Path.Combine(Root, ".gitignore"));
        Assert.Contains(".env", gitignore);
        Assert.Contains("samples/compose/secrets/*", gitignore);
        Assert.All(Directory.GetFiles(Path.Combine(Root, "samples", "compose"), "*.dockerignore"), f => Assert.Contains("samples/compose/secrets/", File.ReadAllLines(f)));
    }

    [Fact]
    public void Prometheus_should_scrape_the_services_metrics_path_on_the_port_it_listens_on()
    {
        var mount = _compose.Volumes("prometheus").Single(v => v.Source.EndsWith("prometheus.yml", StringComparison.Ordinal));
        Assert.Contains($"--config.file={mount.Target}", _compose.Command("prometheus"));
        var config = ComposeFile.LoadMapping(Path.Combine(Root, mount.Source[2..]));
        var jobs = (YamlSequenceNode)config.Children[new YamlScalarNode("scrape_configs")];
        var servicePort = UrlPort().Match(_compose.Environment("service")["ReactiveIngest__Http__Urls"]).Groups[1].Value;

        var service = jobs.Children.Cast<YamlMappingNode>().Single(j => Scalar(j, "job_name") == "reactiveingest");
        Assert.Equal(ServiceDefaultsExtensions.MetricsPath, Scalar(service, "metrics_path"));
        var targets = ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)service.Children[new YamlScalarNode("static_configs")]).Children[0]).Children[new YamlScalarNode("targets")])
            .Children.Select(t => ((YamlScalarNode)t).Value).ToList();
        Assert.Equal([$"service:{servicePort}"], targets);
        Assert.Contains("service", _compose.Services);
        Assert.True(Scalar(service, "scheme") is null or "http");
    }

    [Fact]
    public void Grafana_should_provision_the_InfluxDB_and_the_Prometheus_datasource_of_the_stack()
    {
        var mount = _compose.Volumes("grafana").Single(v => v.Target == "/etc/grafana/provisioning");
        var datasources = Directory.GetFiles(Path.Combine(Root, mount.Source[2..], "datasources"), "*.yml")
            .SelectMany(f => ((YamlSequenceNode)ComposeFile.LoadMapping(f).Children[new YamlScalarNode("datasources")]).Children.Cast<YamlMappingNode>())
            .ToDictionary(d => Scalar(d, "type")!, StringComparer.Ordinal);

        Assert.Equal(["influxdb", "prometheus"], datasources.Keys.Order(StringComparer.Ordinal));
        Assert.Equal($"http://influxdb:{_compose.Ports("influxdb").Single().Container}", Scalar(datasources["influxdb"], "url"));
        Assert.Equal($"http://prometheus:{_compose.Ports("prometheus").Single().Container}", Scalar(datasources["prometheus"], "url"));
        Assert.Single(datasources.Values, d => Scalar(d, "isDefault") == "true");
        Assert.Equal(2, datasources.Values.Select(d => Scalar(d, "uid")).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("prometheus", _compose.DependsOn("grafana"));
    }

    /// <summary>The repository file a secret's <c>/run/secrets/name</c> is mounted from by default.</summary>
    private string HostPathOfSecret(string containerPath) =>
        HostPath(_compose.SecretFiles[containerPath["/run/secrets/".Length..]]);

    private static string HostPath(string composePath)
    {
        var path = ComposeFile.ResolveDefaults(composePath);
        return Path.Combine(Root, path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path);
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    [GeneratedRegex("PASSWORD|TOKEN|SECRET|API_?KEY", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"\$\{(\w+):-[^}]+\}")]
    private static partial Regex InlineDefault();

    [GeneratedRegex(@"^\$\{(\w+):-([^}]+)\}$")]
    private static partial Regex VariableWithDefault();

    [GeneratedRegex(@"(?<!\$)\$\{(\w+)")]
    private static partial Regex UsedVariable();

    [GeneratedRegex(@"^\s*listener\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex MosquittoListener();

    [GeneratedRegex(@"://[^:/,]*:(\d+)")]
    private static partial Regex UrlPort();

    [GeneratedRegex(@"PLAINTEXT://([^:,]+:(\d+))")]
    private static partial Regex InternalAdvertised();

    [GeneratedRegex(@"EXTERNAL://[^:,]+:(\d+)")]
    private static partial Regex ExternalAdvertised();
}
