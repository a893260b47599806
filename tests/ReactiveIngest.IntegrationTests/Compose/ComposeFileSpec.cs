using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.IntegrationTests.Grafana;
using ReactiveIngest.Service.Configuration;
using ReactiveIngest.Service.Hosting;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Service.Sources;
using Xunit;

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
        Assert.Equal(["mosquitto", "kafka", "influxdb", "grafana", "service", "simulator"], _compose.Services);
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
            ["service"] = [.. UrlPort().Matches(_compose.Environment("service")["ReactiveIngest__Http__Urls"]).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))],
        };
        var hostPorts = new HashSet<int>();
        foreach (var service in _compose.Services)
        {
            foreach (var (host, container) in _compose.Ports(service))
            {
                Assert.True(listening.TryGetValue(service, out var ports) && ports.Contains(container), $"{service} publishes {container}, which it does not listen on");
                Assert.True(hostPorts.Add(host), $"host port {host} is published twice");
            }
        }

        // Kafka's external listener must advertise the host port that is published for it.
        var external = ExternalAdvertised().Match(_compose.Environment("kafka")["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.True(external.Success);
        Assert.Contains(_compose.Ports("kafka"), p => p.Host == int.Parse(external.Groups[1].Value, CultureInfo.InvariantCulture));

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
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"], env["ReactiveIngest__Influx__Token"]);

        // Grafana queries the DBRP database named after the bucket, with the same token.
        var grafana = _compose.Environment("grafana");
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_BUCKET"], grafana["INFLUX_DATABASE"]);
        Assert.Equal(influx["DOCKER_INFLUXDB_INIT_ADMIN_TOKEN"], grafana["INFLUX_TOKEN"]);
        var datasource = File.ReadAllText(Path.Combine(Root, "samples", "grafana", "provisioning", "datasources", "influxdb.yml"));
        Assert.Contains("url: http://influxdb:8086", datasource, StringComparison.Ordinal);
        Assert.Contains("${INFLUX_DATABASE}", datasource, StringComparison.Ordinal);
        Assert.Contains("Token ${INFLUX_TOKEN}", datasource, StringComparison.Ordinal);

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
        var problems = keys.Select(k => ConfigurationKeyChecker.Problem(ConfigurationKeyChecker.ToConfigurationPath(k))).OfType<string>().ToList();
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
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(_compose.Environment("service")
                .Where(kv => kv.Key.StartsWith(Prefix, StringComparison.Ordinal))
                .Select(kv => new KeyValuePair<string, string?>(ConfigurationKeyChecker.ToConfigurationPath(kv.Key), kv.Value)))
            .Build();

        Assert.Empty(ConfigurationChecker.Problems(configuration));
        var sources = SourceCatalog.Load(configuration);
        var mqtt = Assert.Single(sources.Mqtt);
        Assert.Equal("mosquitto", mqtt.Settings.Connection.Host);
        Assert.Equal("sites/{site}/devices/{deviceId}/telemetry", mqtt.Codec.Json.TopicTemplate);
        var kafka = Assert.Single(sources.Kafka);
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

        var http = configuration.GetSection(HttpEndpointOptions.SectionName).Get<HttpEndpointOptions>()!;
        Assert.False(string.IsNullOrEmpty(http.ApiKey));
    }

    [GeneratedRegex(@"^\s*listener\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex MosquittoListener();

    [GeneratedRegex(@"://[^:/,]*:(\d+)")]
    private static partial Regex UrlPort();

    [GeneratedRegex(@"PLAINTEXT://([^:,]+:(\d+))")]
    private static partial Regex InternalAdvertised();

    [GeneratedRegex(@"EXTERNAL://[^:,]+:(\d+)")]
    private static partial Regex ExternalAdvertised();
}
