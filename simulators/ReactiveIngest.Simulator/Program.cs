// The device fleet simulator and load-test runner: `fleet` runs simulated devices against an MQTT broker,
// `loadtest` does the same and verifies delivery with its own subscriber (the precursor of the full-stack test).
using ReactiveIngest.Simulator.Commands;

return await SimulatorCommands.Create().Parse(args).InvokeAsync();
