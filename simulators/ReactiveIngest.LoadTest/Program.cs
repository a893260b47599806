// The device fleet simulator and load-test runner: `fleet` runs simulated devices against an MQTT broker,
// `loadtest` runs a scenario through the whole stack (broker → service → InfluxDB) and verifies it against the ground truth.
using ReactiveIngest.Simulator.Commands;

return await SimulatorCommands.Create().Parse(args).InvokeAsync();
